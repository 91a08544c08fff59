//! End-to-end tests of saved searches (`rasd watch`, `rasd index --watch`): what is reported
//! once and only once, across re-indexing, rebuilds, edits, killed runs and concurrent runs.

mod common;

use std::collections::BTreeSet;
use std::fs::File;
use std::process::{Command as Process, Output, Stdio};
use std::time::Duration;

use common::Workspace;
use serde_json::Value;

/// Writes an article with this id, title and body, one JSON Lines file of its own.
fn article(ws: &Workspace, id: &str, title: &str, body: &str) {
    let line = serde_json::json!({"id": id, "title": title, "body": body, "source": "wire",
                                  "url": format!("https://news.example/{id}")});
    ws.write(&format!("{id}.jsonl"), &format!("{line}\n"));
}

fn run(ws: &Workspace, args: &[&str]) -> Output {
    ws.rasd().args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// The JSON alerts of `output`, as `NAME id` (other JSON lines, such as the summary of
/// `rasd index --json`, left out).
fn alerts(output: &Output) -> Vec<String> {
    stdout(output)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v.get("watch").is_some())
        .map(|v| {
            format!(
                "{} {}",
                v["watch"].as_str().unwrap(),
                v["id"].as_str().unwrap()
            )
        })
        .collect()
}

/// `rasd watch run --json`: its alerts and exit status.
fn watch_run(ws: &Workspace) -> (Vec<String>, i32) {
    let output = run(ws, &["watch", "run", "--json"]);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "watch run failed: {output:?}"
    );
    (alerts(&output), output.status.code().unwrap())
}

/// `rasd index --watch --json ARCHIVE`, which must succeed: its alerts.
fn index_watch(ws: &Workspace, extra: &[&str]) -> Vec<String> {
    let output = ws
        .rasd()
        .args(["index", "--watch", "--json"])
        .args(extra)
        .arg(ws.archive())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    alerts(&output)
}

/// An archive of two port articles and one other, indexed, with the saved search `ports`.
fn watched() -> Workspace {
    let ws = Workspace::new();
    article(&ws, "p1", "ميناء طنجة", "حجز شحنة مخدرات في ميناء طنجة");
    article(
        &ws,
        "p2",
        "Port de Marseille",
        "saisie au port de Marseille",
    );
    article(&ws, "c1", "هجوم إلكتروني", "اختراق موقع وزارة");
    ws.index().success();
    let output = run(&ws, &["watch", "add", "ports", "ميناء OR port"]);
    assert!(output.status.success(), "{output:?}");
    ws
}

/// [`watched`], then one new article about the port indexed: news for the saved search.
fn watched_with_news() -> Workspace {
    let ws = watched();
    article(
        &ws,
        "p3",
        "ميناء الدار البيضاء",
        "تفكيك شبكة تهريب عبر ميناء الدار البيضاء",
    );
    ws.index().success();
    ws
}

#[test]
fn what_the_archive_holds_is_no_news_and_new_articles_are_reported_once() {
    let ws = watched();
    assert_eq!(watch_run(&ws), (vec![], 1));

    article(
        &ws,
        "p3",
        "ميناء الدار البيضاء",
        "تفكيك شبكة تهريب عبر ميناء الدار البيضاء",
    );
    article(&ws, "c2", "تزوير", "تفكيك شبكة تزوير");
    assert_eq!(index_watch(&ws, &[]), ["ports p3"]);
    assert_eq!(watch_run(&ws), (vec![], 1));
    assert_eq!(index_watch(&ws, &[]), Vec::<String>::new());

    // A text that changed and still matches is news again; one that does not match is not.
    article(
        &ws,
        "p1",
        "ميناء طنجة",
        "حجز شحنة مخدرات ثانية في ميناء طنجة",
    );
    article(&ws, "c1", "هجوم إلكتروني", "اختراق موقع وزارة المالية");
    assert_eq!(index_watch(&ws, &[]), ["ports p1"]);

    // Deleted, then added again unchanged: already reported.
    let p2 = ws.archive().join("p2.jsonl");
    let saved = std::fs::read(&p2).unwrap();
    std::fs::remove_file(&p2).unwrap();
    assert_eq!(index_watch(&ws, &[]), Vec::<String>::new());
    std::fs::write(&p2, saved).unwrap();
    assert_eq!(index_watch(&ws, &[]), Vec::<String>::new());

    let show = run(&ws, &["watch", "show", "ports"]);
    assert!(show.status.success(), "{show:?}");
    let show = stdout(&show);
    assert!(show.contains("query:    ميناء OR port"), "{show}");
    assert!(show.contains("alerts:   2\n"), "{show}");
    assert!(!show.contains("last run: never"), "{show}");
}

#[test]
fn a_backfilled_search_reports_what_the_archive_holds_once() {
    let ws = watched();
    let output = run(
        &ws,
        &["watch", "add", "all-ports", "--backfill", "ميناء OR port"],
    );
    assert!(output.status.success(), "{output:?}");
    let (mut reported, status) = watch_run(&ws);
    reported.sort();
    assert_eq!(
        (reported, status),
        (vec!["all-ports p1".into(), "all-ports p2".into()], 0)
    );
    assert_eq!(watch_run(&ws), (vec![], 1));
}

#[test]
fn text_output_is_grouped_by_search_under_a_subject_line() {
    let ws = watched();
    let output = run(
        &ws,
        &["watch", "add", "fr", "port", "--lang", "fr", "--backfill"],
    );
    assert!(output.status.success(), "{output:?}");
    article(
        &ws,
        "p3",
        "ميناء الدار البيضاء",
        "تفكيك شبكة تهريب عبر ميناء الدار البيضاء",
    );
    let output = ws
        .rasd()
        .args(["index", "-q", "--watch"])
        .arg(ws.archive())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "ports: 1 new article", "{text}");
    assert_eq!(lines[2], "1. ميناء الدار البيضاء", "{text}");
    assert!(
        text.contains("\nfr: 1 new article\n\n1. Port de Marseille\n"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no colours in a pipe: {text}");
}

#[test]
fn json_and_csv_alerts_carry_the_search_and_the_article() {
    let ws = watched_with_news();
    let output = run(&ws, &["watch", "run", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let csv = stdout(&output);
    assert!(csv.starts_with("watch,rank,score,id,path,title,date,source,lang,url,snippet"));
    assert!(csv.lines().nth(1).unwrap().starts_with("ports,1,"), "{csv}");

    // Reported already: the state file is where it is remembered, so move it away.
    std::fs::remove_file(ws.index_path().join("watch-state.json")).unwrap();
    let output = run(
        &ws,
        &["watch", "add", "again", "--backfill", "الدار البيضاء"],
    );
    assert!(output.status.success(), "{output:?}");
    let output = run(&ws, &["watch", "run", "--json", "again"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let hit: Value = serde_json::from_str(stdout(&output).lines().next().unwrap()).unwrap();
    assert_eq!(hit["watch"], "again");
    assert_eq!(hit["id"], "p3");
    assert_eq!(hit["title"], "ميناء الدار البيضاء");
    assert_eq!(hit["source"], "wire");
    assert_eq!(hit["url"], "https://news.example/p3");
    assert!(hit["path"].as_str().unwrap().ends_with("p3.jsonl"));
    assert!(hit["snippet"].as_str().unwrap().contains("الدار البيضاء"));
    assert!(!hit["highlights"].as_array().unwrap().is_empty());
    assert!(hit.get("date").is_some());
}

#[test]
fn a_rebuild_keeps_the_saved_searches_and_what_they_reported() {
    let ws = watched();
    article(
        &ws,
        "p3",
        "ميناء الدار البيضاء",
        "تفكيك شبكة تهريب عبر ميناء الدار البيضاء",
    );
    assert_eq!(index_watch(&ws, &[]), ["ports p3"]);
    assert_eq!(index_watch(&ws, &["--rebuild"]), Vec::<String>::new());
    for file in ["watches.toml", "watch-state.json"] {
        assert!(ws.index_path().join(file).exists(), "{file}");
    }
    let list = run(&ws, &["watch", "list"]);
    assert!(
        stdout(&list).starts_with("ports  ميناء OR port  (last run "),
        "{list:?}"
    );
    article(&ws, "p4", "ميناء أكادير", "ميناء أكادير");
    assert_eq!(index_watch(&ws, &["--rebuild"]), ["ports p4"]);
}

#[test]
fn bad_names_queries_and_files_are_refused_with_their_place() {
    let ws = watched();
    let refused = |args: &[&str], message: &str| {
        let output = run(&ws, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    };
    refused(&["watch", "add", "ports", "x"], "already named `ports`");
    refused(
        &["watch", "add", "a/b", "x"],
        "use only letters, digits, - and _",
    );
    refused(&["watch", "add", "q", "title:(ميناء"], "invalid query");
    refused(&["watch", "add", "d", "x", "--since", "2024-13"], "--since");
    refused(
        &["watch", "add", "d", "--bakfill", "x"],
        "unknown option '--bakfill'",
    );
    refused(
        &["watch", "show", "nope"],
        "no saved search is named `nope`",
    );
    refused(
        &["watch", "remove", "nope"],
        "no saved search is named `nope`",
    );
    refused(&["watch", "run", "nope"], "no saved search is named `nope`");

    let file = ws.index_path().join("watches.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        format!("{text}\n[[watch]]\nname = \"x\"\nquery = \"y\"\nsince = 3\n"),
    )
    .unwrap();
    let line = text.lines().count() + 5;
    refused(&["watch", "run"], &format!("watches.toml:{line}:9: "));
    refused(&["watch", "list"], &format!("watches.toml:{line}:9: "));

    // A query the index cannot search, written by hand: that search fails, the others run.
    std::fs::write(
        &file,
        format!("{text}\n[[watch]]\nname = \"x\"\nquery = \"title:(y\"\n"),
    )
    .unwrap();
    let line = text.lines().count() + 4;
    refused(
        &["watch", "run"],
        &format!("watches.toml:{line}:9: saved search `x`: invalid"),
    );
}

#[test]
fn an_edited_search_starts_again_and_a_removed_one_is_gone() {
    let ws = watched();
    let file = ws.index_path().join("watches.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("ميناء OR port", "ميناء OR port OR اختراق"),
    )
    .unwrap();
    let output = run(&ws, &["watch", "run"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("`ports` starts: the 3 articles"),
        "{stderr}"
    );
    assert_eq!(watch_run(&ws), (vec![], 1));

    let output = run(&ws, &["watch", "remove", "ports"]);
    assert!(output.status.success(), "{output:?}");
    let list = run(&ws, &["watch", "list"]);
    assert_eq!(
        (list.status.code(), stdout(&list)),
        (Some(1), String::new())
    );
    let state = std::fs::read_to_string(ws.index_path().join("watch-state.json")).unwrap();
    assert!(!state.contains("\"ports\""), "{state}");
    // The header the user reads stays.
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with("# The saved searches of `rasd watch`"),
        "{text}"
    );
}

#[test]
fn a_run_waits_for_the_index_lock_or_exits_3() {
    let ws = watched_with_news();
    // The lock every job takes, held as another `rasd index` or `rasd watch run` holds it.
    let lock = File::options()
        .write(true)
        .open(ws.index_path().join("rasd-index.lock"))
        .unwrap();
    lock.lock().unwrap();
    let output = run(&ws, &["watch", "run"]);
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    assert!(stdout(&output).is_empty());
    let output = run(&ws, &["watch", "add", "x", "y"]);
    assert_eq!(output.status.code(), Some(3), "{output:?}");

    let waiting = Process::new(assert_cmd::cargo::cargo_bin("rasd"))
        .env("RASD_INDEX", ws.index_path())
        .args(["watch", "run", "--json", "--wait", "600"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    drop(lock);
    let output = waiting.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(alerts(&output), ["ports p3"]);
}

#[test]
fn two_runs_at_once_report_each_article_once() {
    let ws = watched();
    for i in 0..20 {
        article(&ws, &format!("n{i}"), "ميناء", &format!("ميناء رقم {i}"));
    }
    ws.index().success();
    let spawn = || {
        Process::new(assert_cmd::cargo::cargo_bin("rasd"))
            .env("RASD_INDEX", ws.index_path())
            .args(["watch", "run", "--json", "--wait", "600"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (spawn(), spawn());
    let mut all = Vec::new();
    for child in [first, second] {
        let output = child.wait_with_output().unwrap();
        assert!(matches!(output.status.code(), Some(0 | 1)), "{output:?}");
        all.extend(alerts(&output));
    }
    all.sort();
    let expected: Vec<String> = {
        let mut ids: Vec<String> = (0..20).map(|i| format!("ports n{i}")).collect();
        ids.sort();
        ids
    };
    assert_eq!(all, expected);
}

#[test]
fn a_killed_index_watch_never_loses_an_alert() {
    let ws = watched();
    let mut written = BTreeSet::new();
    let mut reported = BTreeSet::new();
    for (round, delay) in [0, 5, 20, 80, 200].into_iter().enumerate() {
        for i in 0..8 {
            let id = format!("k{round}-{i}");
            article(&ws, &id, "ميناء", &format!("ميناء {id}"));
            written.insert(format!("ports {id}"));
        }
        let mut child = Process::new(assert_cmd::cargo::cargo_bin("rasd"))
            .env("RASD_INDEX", ws.index_path())
            .args([
                "index",
                "--json",
                "--watch",
                "--commit-every",
                "1",
                "--wait",
                "600",
            ])
            .arg(ws.archive())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL: it may have finished already
        let output = child.wait_with_output().unwrap();
        reported.extend(alerts(&output));
    }
    // What the killed runs did not report, the next runs do.
    reported.extend(index_watch(&ws, &["--wait", "600"]));
    reported.extend(watch_run(&ws).0);
    assert_eq!(reported, written);
    assert_eq!(watch_run(&ws), (vec![], 1));
}

#[test]
fn indexing_that_fails_on_a_file_still_runs_the_saved_searches_and_says_1() {
    let ws = watched();
    article(
        &ws,
        "p3",
        "ميناء الدار البيضاء",
        "تفكيك شبكة تهريب عبر ميناء الدار البيضاء",
    );
    ws.write("broken.jsonl", "not json\n");
    let output = ws
        .rasd()
        .args(["index", "--json", "--watch"])
        .arg(ws.archive())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(alerts(&output), ["ports p3"]);
}

/// The README's monitoring example shows the output of `rasd index -q --watch` on the sample
/// corpus; it must stay true.
#[test]
fn the_monitoring_example_prints_what_the_readme_shows() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let section = &readme[readme.find("## Monitoring").unwrap()..];
    let prompt = "$ rasd index -q --watch ~/archive\n";
    let shown = &section[section.find(prompt).unwrap() + prompt.len()..];
    let shown = &shown[..shown.find("$ ").unwrap()];

    let ws = Workspace::new();
    for folder in ["ar", "fr", "en", "feeds"] {
        for entry in std::fs::read_dir(root.join("sample-corpus").join(folder)).unwrap() {
            let path = entry.unwrap().path();
            let relative = format!("{folder}/{}", path.file_name().unwrap().to_str().unwrap());
            let target = if folder == "feeds" {
                format!("../later/{relative}")
            } else {
                relative
            };
            ws.write(&target, &std::fs::read_to_string(&path).unwrap());
        }
    }
    ws.index().success();
    for add in [
        &["watch", "add", "تهريب-المخدرات", "تهريب المخدرات"][..],
        &[
            "watch",
            "add",
            "phishing",
            "phishing OR تصيد OR hameçonnage",
            "--since",
            "2024",
        ],
    ] {
        let output = run(&ws, add);
        assert!(output.status.success(), "{output:?}");
    }
    std::fs::rename(
        ws.dir.path().join("later/feeds"),
        ws.archive().join("feeds"),
    )
    .unwrap();
    let output = ws
        .rasd()
        .args(["index", "-q", "--watch"])
        .arg("archive")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        stdout(&output),
        shown,
        "the README's monitoring example is out of date"
    );
}
