//! End-to-end tests of jobs that run unattended: failures reported by every run until fixed,
//! runs stopped by SIGINT or SIGTERM, and articles piped in on standard input (`rasd index -`).

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdout, Command as Process, Stdio};
use std::time::Duration;

use common::{Workspace, article};
use serde_json::Value;

/// Runs `rasd index --json EXTRA ARCHIVE` and returns its JSON lines and exit code.
fn index_json(ws: &Workspace, extra: &[&str]) -> (Vec<Value>, i32) {
    let output = ws
        .rasd()
        .args(["index", "--json"])
        .args(extra)
        .arg(ws.archive())
        .output()
        .unwrap();
    (json_lines(&output.stdout), output.status.code().unwrap())
}

fn json_lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `rasd stats --json`, which must succeed.
fn stats(ws: &Workspace) -> Value {
    let output = ws.rasd().args(["stats", "--json"]).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The problems (all but the last line) of `rasd index --json`, as `NAME:LINE: SEVERITY`,
/// sorted: failures kept from earlier runs are reported before the files read.
fn problems(lines: &[Value]) -> Vec<String> {
    let mut problems: Vec<String> = lines[..lines.len() - 1]
        .iter()
        .map(|p| {
            let path = p["path"].as_str().unwrap();
            let name = path.rsplit('/').next().unwrap();
            format!("{name}:{}: {}", p["line"], p["severity"].as_str().unwrap())
        })
        .collect();
    problems.sort();
    problems
}

#[test]
fn a_failure_is_reported_by_every_run_until_the_file_is_fixed() {
    let ws = Workspace::new();
    let good = r#"{"id": "w1", "title": "خبر", "body": "تفكيك خلية"}"#;
    let feed = ws.write("feeds/wire.jsonl", &format!("{good}\nnot json\n"));
    ws.write(
        "feeds/other.jsonl",
        &format!("{good}\n").replace("w1", "o1"),
    );
    ws.write("broken.json", "[{\"title\": ");
    ws.write("a.txt", &article("عنوان", "نص"));

    let (first, code) = index_json(&ws, &[]);
    assert_eq!(code, 1);
    let expected = vec!["broken.json:1: failed", "wire.jsonl:2: failed"];
    assert_eq!(problems(&first), expected);
    let summary = first.last().unwrap();
    assert_eq!(
        (summary["failed"].as_u64(), summary["failed_files"].as_u64()),
        (Some(2), Some(2))
    );

    // Nothing changed: the same failures, the same count, the same status.
    for _ in 0..2 {
        let (again, code) = index_json(&ws, &[]);
        assert_eq!(code, 1, "{again:?}");
        assert_eq!(problems(&again), expected);
        let summary = again.last().unwrap();
        assert_eq!(summary["failed"], 2);
        assert_eq!(summary["failed_files"], 2);
        assert_eq!(summary["unchanged"], 3);
        assert_eq!(
            summary["files"], 1,
            "only broken.json, which has no record, is read"
        );
    }
    let text = ws.rasd().arg("index").arg(ws.archive()).output().unwrap();
    assert_eq!(text.status.code(), Some(1));
    let stderr = String::from_utf8(text.stderr).unwrap();
    assert!(stderr.contains("wire.jsonl:2: invalid JSON"), "{stderr}");
    assert!(stderr.contains(" 2 failed"), "{stderr}");

    let listed = stats(&ws);
    assert_eq!(listed["failed_files"], 2);
    assert_eq!(listed["failures"][1]["count"], 1);
    assert_eq!(listed["failures"][1]["failures"][0]["line"], 2);
    let reason = listed["failures"][1]["failures"][0]["reason"]
        .as_str()
        .unwrap();
    assert!(reason.starts_with("invalid JSON"), "{reason}");
    let text = ws.rasd().arg("stats").output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("failed:     2 files, 2 inputs"), "{text}");
    assert!(text.contains("wire.jsonl:2: invalid JSON"), "{text}");

    // Fixed, and deleted: both leave the list, and the status is 0 again.
    std::fs::write(&feed, format!("{good}\n")).unwrap();
    std::fs::remove_file(ws.archive().join("broken.json")).unwrap();
    let (fixed, code) = index_json(&ws, &[]);
    assert_eq!(code, 0, "{fixed:?}");
    let summary = fixed.last().unwrap();
    assert_eq!(
        (summary["failed"].as_u64(), summary["failed_files"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(stats(&ws)["failed_files"], 0);
    let (_, code) = index_json(&ws, &[]);
    assert_eq!(code, 0);
}

#[test]
fn failures_under_other_roots_are_kept_but_not_reported() {
    let ws = Workspace::new();
    ws.write(
        "a/bad.jsonl",
        "{\"title\": \"x\", \"body\": \"y\"}\nnot json\n",
    );
    ws.write("b/good.txt", &article("عنوان", "نص"));
    ws.rasd()
        .arg("index")
        .arg(ws.archive().join("a"))
        .assert()
        .code(1);
    ws.rasd()
        .arg("index")
        .arg(ws.archive().join("b"))
        .assert()
        .code(0);
    assert_eq!(stats(&ws)["failed_files"], 1);
    ws.rasd()
        .arg("index")
        .arg(ws.archive().join("a"))
        .assert()
        .code(1);
}

/// Files of one article each, the first with a bad second line: its failure is the first
/// thing a run prints with `--json`, once it has read a file.
fn corpus(ws: &Workspace, files: usize) {
    ws.write(
        "0000.jsonl",
        "{\"title\": \"أول\", \"body\": \"خبر\"}\nnot json\n",
    );
    for i in 1..files {
        ws.write(
            &format!("{:02}/f{i}.txt", i % 16),
            &article(&format!("خبر {i}"), "نص قصير"),
        );
    }
}

/// Starts `rasd index --json --commit-every 100 EXTRA ARCHIVE` and waits for its first line
/// (a file has been read, the lock is held): the job, the rest of its output, that line.
fn started(ws: &Workspace, extra: &[&str]) -> (Child, BufReader<ChildStdout>, String) {
    let mut job = Process::new(assert_cmd::cargo::cargo_bin("rasd"))
        .env("RASD_INDEX", ws.index_path())
        .args(["index", "--json", "--commit-every", "100"])
        .args(extra)
        .arg(ws.archive())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(job.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    (job, stdout, first)
}

/// Starts `rasd index --json EXTRA ARCHIVE`, waits for its first line (a file has been read), sends
/// `signals`, and returns its exit code, stderr and JSON lines.
fn interrupt(ws: &Workspace, signals: &[libc::c_int], extra: &[&str]) -> (i32, String, Vec<Value>) {
    interrupt_with_pause(ws, signals, Duration::ZERO, extra)
}

/// [`interrupt`], with `pause` between two signals.
fn interrupt_with_pause(
    ws: &Workspace,
    signals: &[libc::c_int],
    pause: Duration,
    extra: &[&str],
) -> (i32, String, Vec<Value>) {
    let (mut job, mut stdout, first) = started(ws, extra);
    let pid = libc::pid_t::try_from(job.id()).unwrap();
    for (i, &signal) in signals.iter().enumerate() {
        if i > 0 {
            std::thread::sleep(pause);
        }
        // Two signals of a kind sent at once are one: the second waits for the first's delivery.
        wait_delivered(pid, signal);
        // SAFETY: kill has no memory effects; the child is ours and not yet reaped.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    }
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let mut stderr = String::new();
    job.stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let code = job
        .wait()
        .unwrap()
        .code()
        .expect("an exit status, not death by signal");
    (
        code,
        stderr,
        json_lines(format!("{first}{rest}").as_bytes()),
    )
}

/// Waits until `signal` is no longer pending for the process `pid`: delivered, its handler
/// run or running (it is blocked while its handler runs, so the next one comes after).
fn wait_delivered(pid: libc::pid_t, signal: libc::c_int) {
    let bit = 1u64 << (signal - 1);
    let pending = |status: &str| {
        status
            .lines()
            .filter(|l| l.starts_with("SigPnd:") || l.starts_with("ShdPnd:"))
            .filter_map(|l| u64::from_str_radix(l.split_whitespace().nth(1)?, 16).ok())
            .any(|mask| mask & bit != 0)
    };
    // Where there is no /proc, the status cannot be read: the signals are sent at once.
    while let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
        if !pending(&status) {
            return;
        }
        std::thread::yield_now();
    }
}

/// The numbers of `interrupted: N of M files …`.
fn kept_of(stderr: &str) -> (u64, u64) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("rasd: interrupted: "))
        .unwrap_or_else(|| panic!("no interrupted line in {stderr}"));
    assert!(
        line.ends_with("indexed and committed; run again to finish"),
        "{line}"
    );
    let words: Vec<&str> = line.split_whitespace().collect();
    (words[2].parse().unwrap(), words[4].parse().unwrap())
}

#[test]
fn an_interrupted_run_commits_what_it_read_and_the_next_one_finishes() {
    const FILES: u64 = 3000;
    for (signal, status) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
        let ws = Workspace::new();
        corpus(&ws, FILES as usize);
        let (code, stderr, lines) = interrupt(&ws, &[signal], &[]);
        // Whenever the signal lands, what the run says it kept is what the index holds.
        let kept = if code == status {
            let (kept, of) = kept_of(&stderr);
            assert_eq!(of, FILES);
            assert!(kept >= 1, "the file already reported is kept");
            let summary = lines.last().unwrap();
            assert_eq!(summary["interrupted"], true);
            assert_eq!(summary["files"], kept);
            assert_eq!(summary["planned"], FILES);
            kept
        } else {
            // The run ended before the signal came.
            assert_eq!(code, 1, "{stderr}");
            FILES
        };
        assert_eq!(stats(&ws)["documents"], kept);
        ws.rasd().args(["search", "خبر"]).assert().success();

        let (lines, code) = index_json(&ws, &[]);
        assert_eq!(code, 1, "the bad line is still reported");
        let summary = lines.last().unwrap();
        assert_eq!(summary["interrupted"], false);
        assert_eq!(summary["unchanged"], kept);
        assert_eq!(summary["added"].as_u64().unwrap() + kept, FILES);
        assert_eq!(summary["failed"], 1);
        assert_eq!(stats(&ws)["documents"], FILES);
    }
}

#[test]
fn a_second_sigint_stops_at_once_and_damages_nothing() {
    const FILES: u64 = 3000;
    let ws = Workspace::new();
    corpus(&ws, FILES as usize);
    // Half a second or more after the first: a second request, not the first one repeated.
    let pause = Duration::from_millis(600);
    let (code, stderr, _) = interrupt_with_pause(&ws, &[libc::SIGINT, libc::SIGINT], pause, &[]);
    // 1 when the run ended before the first signal came; no message when the second one
    // ended it at once, else the first one's.
    assert!(code == 130 || code == 1, "{code}: {stderr}");
    // The index opens at its last commit, and the lock is free.
    let documents = stats(&ws)["documents"].as_u64().unwrap();
    assert!(documents <= FILES);
    let (lines, code) = index_json(&ws, &[]);
    assert_eq!(code, 1, "{lines:?}");
    let summary = lines.last().unwrap();
    assert_eq!(summary["unchanged"], documents);
    assert_eq!(summary["added"].as_u64().unwrap() + documents, FILES);
    assert_eq!(stats(&ws)["documents"], FILES);
}

#[test]
fn two_sigterms_at_once_are_one_request_to_stop() {
    // `timeout(1)` signals the process, then its process group: two SIGTERMs in a row.
    const FILES: u64 = 3000;
    let ws = Workspace::new();
    corpus(&ws, FILES as usize);
    let (code, stderr, lines) = interrupt(&ws, &[libc::SIGTERM, libc::SIGTERM], &[]);
    if code == 143 {
        let (kept, _) = kept_of(&stderr);
        assert_eq!(lines.last().unwrap()["files"], kept);
        assert_eq!(stats(&ws)["documents"], kept);
    } else {
        assert_eq!(code, 1, "the run ended before the signals came: {stderr}");
    }
}

#[test]
fn a_run_started_right_after_a_killed_one_is_not_refused() {
    const FILES: u64 = 3000;
    let ws = Workspace::new();
    corpus(&ws, FILES as usize);
    let (mut job, _output, _) = started(&ws, &[]);
    let pid = libc::pid_t::try_from(job.id()).unwrap();
    // SAFETY: kill has no memory effects; the child is ours and not yet reaped.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
    // At once, as a script does after `timeout -s KILL`: the dying job may still hold the
    // lock for a few milliseconds.
    let (lines, code) = index_json(&ws, &[]);
    assert_eq!(code, 1, "{lines:?}");
    assert!(job.wait().unwrap().code().is_none(), "killed");
    assert_eq!(stats(&ws)["documents"], FILES);
}

#[test]
fn an_interrupted_rebuild_leaves_the_index_as_it_was() {
    const FILES: u64 = 3000;
    let ws = Workspace::new();
    corpus(&ws, FILES as usize);
    ws.index().code(1);
    let before = common::current_generation(&ws.index_path());
    let (code, stderr, lines) = interrupt(&ws, &[libc::SIGINT], &["--rebuild"]);
    if code == 130 {
        assert!(
            stderr.contains("rasd: interrupted: the rebuild was abandoned"),
            "{stderr}"
        );
        assert_eq!(common::current_generation(&ws.index_path()), before);
        // The summary counts nothing of the work thrown away, and the index as it was.
        let summary = lines.last().unwrap();
        assert_eq!(summary["interrupted"], true);
        assert_eq!(summary["documents"], FILES);
        assert_eq!(summary["failed_files"], 1);
        for key in common::SUMMARY_COUNTS.iter().chain(&["files"]) {
            assert_eq!(summary[key], 0, "{key}: {summary}");
        }
    } else {
        assert_eq!(
            code, 1,
            "the rebuild ended before the signal came: {stderr}"
        );
    }
    assert_eq!(stats(&ws)["documents"], FILES);
    let (_, code) = index_json(&ws, &["--rebuild"]);
    assert_eq!(code, 1);
    assert_eq!(stats(&ws)["documents"], FILES);
}

/// `rasd index --json -` with `input` on standard input, and extra arguments.
fn index_stdin(ws: &Workspace, input: &str, extra: &[&str]) -> (Vec<Value>, i32, String) {
    let output = ws
        .rasd()
        .args(["index", "--json", "-"])
        .args(extra)
        .write_stdin(input)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    (
        json_lines(&output.stdout),
        output.status.code().unwrap(),
        stderr,
    )
}

#[test]
fn articles_from_standard_input_are_upserted_by_id_and_never_removed() {
    let ws = Workspace::new();
    let input = concat!(
        r#"{"id": "s1", "title": "خلية إرهابية", "body": "تفكيك خلية"}"#,
        "\n\nnot json\n",
        r#"{"title": "بلا معرف", "body": "نص"}"#,
        "\n",
    );
    let (lines, code, _) = index_stdin(&ws, input, &[]);
    assert_eq!(code, 1);
    assert_eq!(lines[0]["path"], "<stdin>");
    assert_eq!(lines[0]["line"], 3);
    assert_eq!(lines[0]["severity"], "failed");
    let summary = lines.last().unwrap();
    assert_eq!(
        (summary["added"].as_u64(), summary["failed"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(ws.ids("نص"), vec!["<stdin>#4"]);
    let hit = &ws.search("خلية")[0];
    assert_eq!(
        (hit["id"].as_str(), hit["path"].as_str()),
        (Some("s1"), Some("<stdin>"))
    );
    // A bad line of standard input is reported once: it cannot be read again.
    assert_eq!(stats(&ws)["failed_files"], 0);

    // The same id again replaces the article; the others stay.
    let (lines, code, _) = index_stdin(
        &ws,
        r#"{"id": "s1", "title": "خلية نائمة", "body": "نص آخر"}"#,
        &[],
    );
    assert_eq!(code, 0, "{lines:?}");
    assert_eq!(lines.last().unwrap()["updated"], 1);
    assert_eq!(ws.search("خلية")[0]["title"], "خلية نائمة");
    assert_eq!(stats(&ws)["documents"], 2);

    // Runs over folders, with standard input or without, never remove them.
    ws.write("a.txt", &article("عنوان", "نص المقال"));
    let (_, code, _) = index_stdin(&ws, "", &[ws.archive().to_str().unwrap()]);
    assert_eq!(code, 0);
    std::fs::remove_file(ws.archive().join("a.txt")).unwrap();
    ws.write("b.txt", &article("عنوان", "نص المقال"));
    let (lines, code) = index_json(&ws, &[]);
    assert_eq!(code, 0);
    assert_eq!(lines.last().unwrap()["removed"], 1);
    assert_eq!(stats(&ws)["documents"], 3);
    assert!(ws.ids("*").contains(&"s1".to_string()));
}

#[test]
fn standard_input_cannot_be_a_dry_run() {
    let ws = Workspace::new();
    let output = ws
        .rasd()
        .args(["index", "--dry-run", "-"])
        .write_stdin("{}\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("--dry-run cannot"), "{stderr}");
}
