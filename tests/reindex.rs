//! End-to-end tests of scheduled re-indexing: incremental runs, crashes, concurrent jobs,
//! messy input and legacy encodings.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

use common::{Workspace, article, ids_in, spawn_index};
use predicates::prelude::*;
use serde_json::Value;

/// Runs `rasd index --json` over the archive and returns its JSON lines and exit code.
fn index_json(ws: &Workspace, extra: &[&str]) -> (Vec<Value>, i32) {
    let output = ws
        .rasd()
        .arg("index")
        .arg("--json")
        .args(extra)
        .arg(ws.archive())
        .output()
        .unwrap();
    let lines = common::json_lines(&output.stdout);
    (lines, output.status.code().unwrap())
}

/// The counts of the summary (last line) of `rasd index --json`.
fn summary(lines: &[Value]) -> [u64; 5] {
    let last = lines.last().unwrap();
    ["added", "updated", "removed", "unchanged", "failed"].map(|k| last[k].as_u64().unwrap())
}

/// Every article id in the workspace's index.
fn all_ids(ws: &Workspace) -> BTreeSet<String> {
    ids_in(ws, &ws.index_path())
}

/// Asserts two id sets are equal, printing only their differences.
fn assert_same_ids(found: &BTreeSet<String>, expected: &BTreeSet<String>) {
    let missing: Vec<_> = expected.difference(found).take(10).collect();
    let extra: Vec<_> = found.difference(expected).take(10).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{} found, {} expected; missing {missing:?}; extra {extra:?}",
        found.len(),
        expected.len()
    );
}

/// Sets a file's content without changing its size or modification time.
fn rewrite_in_place(path: &Path, content: &str) {
    let modified = std::fs::metadata(path).unwrap().modified().unwrap();
    assert_eq!(std::fs::metadata(path).unwrap().len(), content.len() as u64);
    std::fs::write(path, content).unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(modified).unwrap();
}

#[test]
fn a_rerun_redoes_only_what_changed() {
    let ws = Workspace::new();
    ws.write("keep.txt", &article("ثابت", "خبر لا يتغير عن الحدود."));
    let edited = ws.write("edit.txt", &article("قديم", "نص قديم عن التهريب."));
    let gone = ws.write("gone.txt", &article("محذوف", "خبر سيحذف عن القرصنة."));
    ws.write(
        "feed.jsonl",
        "{\"id\":\"f1\",\"title\":\"واحد\",\"body\":\"الخبر الأول\"}\n{\"id\":\"f2\",\"title\":\"اثنان\",\"body\":\"الخبر الثاني\"}\n",
    );
    let (lines, code) = index_json(&ws, &[]);
    assert_eq!((summary(&lines), code), ([5, 0, 0, 0, 0], 0));

    // Nothing changed: nothing is read, even a file whose bytes changed behind its back.
    let kept = ws.archive().join("keep.txt");
    let original = std::fs::read_to_string(&kept).unwrap();
    let same_size = original.replace("الحدود", "الجنود");
    rewrite_in_place(&kept, &same_size);
    let (lines, _) = index_json(&ws, &[]);
    assert_eq!(summary(&lines), [0, 0, 0, 5, 0]);
    assert_eq!(lines.last().unwrap()["files"], 0);
    assert_eq!(ws.ids("الحدود"), vec!["keep.txt"]);
    rewrite_in_place(&kept, &original);

    // Changed, deleted, new, and an article gone from a JSON Lines file.
    std::fs::write(&edited, article("جديد", "نص جديد عن الاختراق.")).unwrap();
    std::fs::remove_file(&gone).unwrap();
    ws.write("new.txt", &article("وافد", "خبر جديد عن الاتجار."));
    ws.write(
        "feed.jsonl",
        "{\"id\":\"f2\",\"title\":\"اثنان\",\"body\":\"الخبر الثاني\"}\n",
    );
    let (lines, _) = index_json(&ws, &["--dry-run"]);
    let actions: Vec<(String, String)> = lines[..lines.len() - 1]
        .iter()
        .map(|l| {
            let path = l["path"].as_str().unwrap();
            let name = Path::new(path).file_name().unwrap().to_str().unwrap();
            (l["action"].as_str().unwrap().to_string(), name.to_string())
        })
        .collect();
    assert_eq!(
        actions,
        vec![
            ("add".to_string(), "new.txt".to_string()),
            ("update".to_string(), "edit.txt".to_string()),
            ("update".to_string(), "feed.jsonl".to_string()),
            ("remove".to_string(), "gone.txt".to_string()),
        ]
    );
    assert_eq!(lines.last().unwrap()["unchanged"], 1);
    assert_eq!(
        ws.ids("القرصنة"),
        vec!["gone.txt"],
        "a dry run changes nothing"
    );

    let (lines, code) = index_json(&ws, &[]);
    // new.txt added; edit.txt and f2 updated; gone.txt and f1 removed; keep.txt unchanged.
    assert_eq!((summary(&lines), code), ([1, 2, 2, 1, 0], 0));
    let last = lines.last().unwrap();
    for key in common::SUMMARY_COUNTS.iter().chain(&["seconds"]) {
        assert!(last.get(key).is_some(), "{key}");
    }
    assert_eq!(
        all_ids(&ws),
        ["edit.txt", "f2", "keep.txt", "new.txt"]
            .map(String::from)
            .into()
    );
    assert!(ws.ids("القديم").is_empty() && ws.ids("قديم").is_empty());
    ws.rasd()
        .args(["stats", "--json"])
        .assert()
        .stdout(predicate::str::contains("\"documents\":4"));
}

#[test]
fn only_the_roots_of_a_run_lose_deleted_files() {
    let ws = Workspace::new();
    ws.write("a/one.txt", &article("أ", "خبر أول عن الأمن."));
    ws.write("b/two.txt", &article("ب", "خبر ثان عن الأمن."));
    ws.index().success();
    std::fs::remove_file(ws.archive().join("b/two.txt")).unwrap();
    // Re-indexing only folder a/ leaves b/'s articles alone, though its file is gone.
    ws.rasd()
        .arg("index")
        .arg(ws.archive().join("a"))
        .assert()
        .success()
        .stderr(predicate::str::contains("0 removed, 1 unchanged"));
    assert_eq!(ws.ids("الأمن").len(), 2);
    ws.index()
        .success()
        .stderr(predicate::str::contains("1 removed"));
    assert_eq!(ws.ids("الأمن"), vec!["a/one.txt"]);
}

#[test]
fn a_touched_but_identical_file_is_not_reindexed() {
    let ws = Workspace::new();
    let path = ws.write("a.txt", &article("خبر", "نص ثابت."));
    ws.index().success();
    common::touch(&path);
    let (lines, _) = index_json(&ws, &[]);
    assert_eq!(summary(&lines), [0, 0, 0, 1, 0]);
    assert_eq!(lines.last().unwrap()["files"], 1, "its content was hashed");
    let (lines, _) = index_json(&ws, &[]);
    assert_eq!(
        lines.last().unwrap()["files"],
        0,
        "and its new time recorded"
    );
}

/// An archive of `files` small Arabic articles, `name-N.txt` in 20 folders.
fn many_articles(ws: &Workspace, files: usize) -> BTreeSet<String> {
    (0..files)
        .map(|i| {
            let relative = format!("{:02}/a{i}.txt", i % 20);
            let body = "تفكيك خلية إرهابية في المدينة واعتقال عناصرها. ".repeat(8);
            ws.write(&relative, &article(&format!("خبر {i}"), &body));
            relative
        })
        .collect()
}

/// Articles in the last commit, or 0 when there is none yet.
fn committed_articles(ws: &Workspace) -> u64 {
    let output = ws.rasd().args(["stats", "--json"]).output().unwrap();
    serde_json::from_slice::<Value>(&output.stdout)
        .map(|v| v["documents"].as_u64().unwrap_or(0))
        .unwrap_or(0)
}

/// Waits until the index has committed articles while `job` still runs; false if the job
/// finished first.
fn wait_for_first_commit(ws: &Workspace, job: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if job.try_wait().unwrap().is_some() {
            return false;
        }
        if committed_articles(ws) > 0 {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("no commit within two minutes");
}

#[test]
fn a_run_killed_mid_way_loses_nothing_and_duplicates_nothing() {
    let ws = Workspace::new();
    let expected = many_articles(&ws, 2000);
    let mut job = spawn_index(&ws, &["--commit-every", "100"]);
    let mid_run = wait_for_first_commit(&ws, &mut job);
    job.kill().unwrap(); // SIGKILL
    job.wait().unwrap();
    let after_kill = committed_articles(&ws);
    if mid_run {
        assert!(after_kill < 2000, "killed before the end: {after_kill}");
    }
    ws.rasd().args(["search", "خبر"]).assert().success();
    let (lines, code) = index_json(&ws, &[]);
    assert_eq!(code, 0);
    let [added, updated, removed, unchanged, failed] = summary(&lines);
    assert_eq!((updated, removed, failed), (0, 0, 0));
    assert_eq!(added + unchanged, 2000);
    assert_eq!(unchanged, after_kill);
    assert_eq!(committed_articles(&ws), 2000);
    assert_same_ids(&all_ids(&ws), &expected);
    // The same as a clean build of the same archive.
    let clean = Workspace::new();
    let clean_index = clean.index_path();
    ws.rasd()
        .arg("--index")
        .arg(&clean_index)
        .args(["index", "-q"])
        .arg(ws.archive())
        .assert()
        .success();
    assert_same_ids(&all_ids(&ws), &ids_in(&ws, &clean_index));
}

#[test]
fn a_second_job_fails_with_status_3_or_waits() {
    let ws = Workspace::new();
    ws.write("a.txt", &article("خبر", "نص."));
    ws.index().success();
    // Hold the index's write lock as a running job would.
    let lock = std::fs::File::options()
        .write(true)
        .open(ws.index_path().join("rasd-index.lock"))
        .unwrap();
    lock.try_lock().unwrap();
    ws.index()
        .code(3)
        .stderr(predicate::str::contains("another `rasd index` is writing"));
    // Searches still work, on the last commit.
    assert_eq!(ws.ids("نص"), vec!["a.txt"]);
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(500));
        drop(lock);
    });
    ws.rasd()
        .args(["index", "--wait", "60"])
        .arg(ws.archive())
        .assert()
        .success();
    release.join().unwrap();
}

#[test]
fn two_jobs_at_once_leave_a_sound_index() {
    let ws = Workspace::new();
    let expected = many_articles(&ws, 1000);
    let mut first = spawn_index(&ws, &["--commit-every", "100"]);
    let overlapped = wait_for_first_commit(&ws, &mut first);
    let second = ws.rasd().arg("index").arg(ws.archive()).output().unwrap();
    if overlapped && first.try_wait().unwrap().is_none() {
        // Busy; or the first job had released its lock, its work done, as it ended: its
        // process may outlive the lock by the time it takes to exit.
        let stderr = String::from_utf8_lossy(&second.stderr);
        let after_the_first = second.status.success() && stderr.contains(" 0 added, 0 updated");
        assert!(
            second.status.code() == Some(3) || after_the_first,
            "{second:?}"
        );
    }
    // Searches keep working while the first job runs.
    ws.rasd().args(["search", "خبر"]).assert().success();
    let waiting = ws
        .rasd()
        .args(["index", "--wait", "120"])
        .arg(ws.archive())
        .output()
        .unwrap();
    assert_eq!(waiting.status.code(), Some(0), "{waiting:?}");
    assert!(first.wait().unwrap().success());
    assert_eq!(committed_articles(&ws), 1000);
    assert_same_ids(&all_ids(&ws), &expected);
}

#[test]
fn each_bad_input_is_one_line_and_the_run_goes_on() {
    let ws = Workspace::new();
    ws.write("good.txt", &article("سليم", "خبر سليم عن الحدود."));
    ws.write("empty.txt", "  \n");
    std::fs::write(ws.archive().join("binary.txt"), b"PK\x03\x04\x00\x00data").unwrap();
    // A NUL byte damages its line of JSON Lines, not the file; a binary file named `.jsonl`
    // (a PNG's signature and header) is still binary.
    std::fs::write(
        ws.archive().join("nul.jsonl"),
        b"{\"id\":\"n1\",\"title\":\"good\",\"body\":\"good body\"}\n\x00\n{\"id\":\"n3\",\"title\":\"g3\",\"body\":\"b3\"}\n",
    )
    .unwrap();
    std::fs::write(
        ws.archive().join("image.jsonl"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\n\x00\x08\x06",
    )
    .unwrap();
    ws.write("big.txt", &article("كبير", &"كلمة ".repeat(250_000)));
    ws.write("broken.json", "{\"title\": \"x\",");
    ws.write(
        "feed.jsonl",
        "{\"title\":\"أول\",\"body\":\"سطر سليم\"}\nnot json\n{\"title\":\"موعد\",\"body\":\"تاريخ خاطئ\",\"date\":\"31/02/2024\"}\n{\"title\":\"بلا نص\"}\n",
    );
    ws.write(
        "dup1.json",
        "{\"id\":\"same\",\"title\":\"نسخة أولى\",\"body\":\"أ\"}",
    );
    ws.write(
        "dup2.json",
        "{\"id\":\"same\",\"title\":\"نسخة ثانية\",\"body\":\"ب\"}",
    );
    let locked = ws.write("locked.txt", &article("مقفل", "نص."));
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    // Root reads any file: then there is no permission error to see.
    let permissions_apply = std::fs::read(&locked).is_err();
    std::fs::create_dir_all(ws.archive().join("loop")).unwrap();
    std::os::unix::fs::symlink(ws.archive().join("loop"), ws.archive().join("loop/inner")).unwrap();
    std::os::unix::fs::symlink("loopA", ws.archive().join("loopB")).unwrap();
    std::os::unix::fs::symlink("loopB", ws.archive().join("loopA")).unwrap();
    let bad_name = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"bad-\xff.txt");
    std::fs::write(ws.archive().join(bad_name), article("اسم", "اسم ملف غريب.")).unwrap();

    let (lines, code) = index_json(&ws, &["--follow-links", "--max-file-size", "1"]);
    assert_eq!(code, 1, "{lines:#?}");
    let problems = &lines[..lines.len() - 1];
    let find = |file: &str, reason: &str| {
        problems.iter().find(|p| {
            p["path"].as_str().unwrap().contains(file)
                && p["reason"].as_str().unwrap().contains(reason)
        })
    };
    let expect = |file: &str, reason: &str, severity: &str, line: Option<u64>| {
        let problem =
            find(file, reason).unwrap_or_else(|| panic!("{file}: {reason} in {problems:#?}"));
        assert_eq!(problem["severity"], severity, "{problem}");
        assert_eq!(problem["line"].as_u64(), line, "{problem}");
    };
    expect("empty.txt", "empty file", "warning", None);
    expect("binary.txt", "binary file", "warning", None);
    expect("nul.jsonl", "invalid JSON", "failed", Some(2));
    expect("image.jsonl", "binary file", "warning", None);
    expect(
        "big.txt",
        "larger than the --max-file-size",
        "warning",
        None,
    );
    expect("broken.json", "invalid JSON", "failed", Some(1));
    expect("feed.jsonl", "", "failed", Some(2));
    expect("feed.jsonl", "invalid date", "warning", Some(3));
    expect("feed.jsonl", "no body", "warning", Some(4));
    expect("dup2.json", "also used in", "warning", None);
    expect("loop", "symbolic link loop", "warning", None);
    expect("loopA", "symbolic link loop", "warning", None);
    expect("loopB", "symbolic link loop", "warning", None);
    expect("bad-", "not valid UTF-8", "warning", None);
    if permissions_apply {
        expect("locked.txt", "cannot read", "failed", None);
    }
    let ids = all_ids(&ws);
    for id in [
        "good.txt",
        "feed.jsonl#1",
        "feed.jsonl#3",
        "feed.jsonl#4",
        "same",
        "n1",
        "n3",
    ] {
        assert!(ids.contains(id), "{id} in {ids:?}");
    }
    assert_eq!(ws.ids("ثانية"), vec!["same"], "the later duplicate wins");
    assert!(ids.iter().any(|id| id.starts_with("bad-")), "{ids:?}");
    // The text report is one line per problem, naming the file (and line).
    let output = ws
        .rasd()
        .arg("index")
        .arg("--rebuild")
        .arg("--follow-links")
        .arg(ws.archive())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("rasd: error: ") && l.contains("feed.jsonl:2: ")),
        "{stderr}"
    );
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("rasd: warning: ") && l.contains("empty.txt: empty file")),
        "{stderr}"
    );
}

/// Writes `text` as `name` in an encoding, with a BOM when `bom` is given.
fn write_encoded(ws: &Workspace, name: &str, bom: &[u8], bytes: Vec<u8>) {
    let path = ws.archive().join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, [bom, &bytes].concat()).unwrap();
}

#[test]
fn legacy_and_unicode_encodings_are_decoded() {
    let ws = Workspace::new();
    let text = |word: &str| {
        article(
            "خبر أمني من الأرشيف القديم",
            &format!(
                "أعلنت السلطات عن {word} شبكة تنشط في تهريب المخدرات عبر الحدود الشرقية للبلاد، وأكدت المصادر أن التحقيقات متواصلة."
            ),
        )
    };
    let utf16 = |s: &str, le: bool| -> Vec<u8> {
        s.encode_utf16()
            .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect()
    };
    write_encoded(&ws, "utf8.txt", b"", text("ضبط").into_bytes());
    write_encoded(
        &ws,
        "utf8-bom.txt",
        b"\xEF\xBB\xBF",
        text("حجز").into_bytes(),
    );
    write_encoded(&ws, "utf16le.txt", b"\xFF\xFE", utf16(&text("توقيف"), true));
    write_encoded(
        &ws,
        "utf16be.txt",
        b"\xFE\xFF",
        utf16(&text("ملاحقة"), false),
    );
    let legacy = |encoding: &'static encoding_rs::Encoding, word: &str| {
        encoding.encode(&text(word)).0.into_owned()
    };
    write_encoded(
        &ws,
        "windows-1256.txt",
        b"",
        legacy(encoding_rs::WINDOWS_1256, "تفكيك"),
    );
    write_encoded(
        &ws,
        "iso-8859-6.txt",
        b"",
        legacy(encoding_rs::ISO_8859_6, "رصد"),
    );
    let (lines, code) = index_json(&ws, &[]);
    assert_eq!((code, summary(&lines)[0]), (0, 6), "{lines:#?}");
    for (word, file) in [
        ("ضبط", "utf8.txt"),
        ("حجز", "utf8-bom.txt"),
        ("توقيف", "utf16le.txt"),
        ("ملاحقة", "utf16be.txt"),
        ("تفكيك", "windows-1256.txt"),
        ("رصد", "iso-8859-6.txt"),
    ] {
        assert_eq!(ws.ids(word), vec![file], "{word}");
    }
    // The windows-1256 article is found by an Arabic query and highlighted exactly.
    let hits = ws.search("تفكيك الشبكة");
    assert_eq!(common::highlighted(&hits[0]), vec!["تفكيك", "شبكة"]);
}

#[test]
fn a_forced_encoding_is_used_and_replacements_are_reported() {
    let ws = Workspace::new();
    let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode("خبر\n\nتفكيك خلية في المدينة.\n");
    write_encoded(&ws, "short.txt", b"", bytes.into_owned());
    let (lines, _) = index_json(&ws, &["--encoding", "utf-8"]);
    let problem = &lines[0];
    assert!(
        problem["reason"]
            .as_str()
            .unwrap()
            .contains("not valid UTF-8 and were replaced"),
        "{problem}"
    );
    let (_, code) = index_json(&ws, &["--rebuild", "--encoding", "windows-1256"]);
    assert_eq!(code, 0);
    assert_eq!(ws.ids("خلية"), vec!["short.txt"]);
    ws.rasd()
        .args(["index", "--encoding", "klingon"])
        .arg(ws.archive())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown encoding `klingon`"));
}

/// The segments of the last commit.
fn segments(ws: &Workspace) -> usize {
    let meta: Value = serde_json::from_slice(
        &std::fs::read(common::current_generation(&ws.index_path()).join("meta.json")).unwrap(),
    )
    .unwrap();
    meta["segments"].as_array().unwrap().len()
}

#[test]
fn a_run_merges_the_segments_it_wrote() {
    let ws = Workspace::new();
    for i in 0..6 {
        ws.write(
            &format!("a{i}.txt"),
            &article("خبر", &format!("نص رقم {i}.")),
        );
    }
    ws.rasd()
        .args(["index", "--commit-every", "1"])
        .arg(ws.archive())
        .assert()
        .success();
    assert_eq!(segments(&ws), 1);
    // A small update adds one segment; the old one is not rewritten.
    ws.write("b.txt", &article("جديد", "نص جديد."));
    ws.index().success();
    assert_eq!(segments(&ws), 2);
    assert_eq!(committed_articles(&ws), 7);
}

#[test]
fn a_file_skipped_as_too_large_is_indexed_once_the_limit_allows() {
    let ws = Workspace::new();
    ws.write("small.txt", &article("صغير", "نص قصير."));
    ws.write(
        "big.txt",
        &article("كبير", &"تهريب المخدرات عبر الحدود ".repeat(50_000)),
    );
    let (lines, _) = index_json(&ws, &["--max-file-size", "1"]);
    assert!(lines.iter().any(|l| {
        l["reason"]
            .as_str()
            .is_some_and(|r| r.contains("larger than"))
    }));
    // Skipped again as it was: said again, nothing else.
    let (lines, _) = index_json(&ws, &["--max-file-size", "1"]);
    assert!(lines.iter().any(|l| {
        l["reason"]
            .as_str()
            .is_some_and(|r| r.contains("larger than"))
    }));
    assert_eq!(lines.last().unwrap()["added"], 0);
    assert_eq!(ws.ids("كبير"), Vec::<String>::new());
    // The default limit takes it in, without the file being touched.
    ws.index().success();
    assert_eq!(ws.ids("كبير"), ["big.txt"]);
}

#[test]
fn an_archive_folder_emptied_or_unmounted_changes_nothing_unless_allowed() {
    let ws = Workspace::new();
    for n in 0..3 {
        ws.write(
            &format!("share/s{n}.md"),
            &article("خبر", &format!("نص {n}")),
        );
        ws.write(
            &format!("local/l{n}.md"),
            &article("news", &format!("text {n}")),
        );
    }
    let share = ws.archive().join("share");
    let local = ws.archive().join("local");
    let index = |extra: &[&str]| {
        ws.rasd()
            .arg("index")
            .args(extra)
            .args([&share, &local])
            .assert()
    };
    index(&[]).success();
    // The share is not mounted this morning: an empty mount point, or one with a stray file.
    std::fs::rename(&share, ws.archive().join("share.away")).unwrap();
    std::fs::create_dir(&share).unwrap();
    std::fs::write(share.join("README"), "mount point").unwrap();
    for extra in [&[][..], &["--dry-run"], &["--watch"]] {
        index(extra).code(2).stderr(
            predicate::str::contains("holds nothing to index, but the index has 3 articles")
                .and(predicate::str::contains("--allow-empty")),
        );
    }
    assert_eq!(all_ids(&ws).len(), 6, "nothing removed");
    // A folder emptied on purpose, said so.
    index(&["--allow-empty", "-q"]).success();
    assert_eq!(all_ids(&ws).len(), 3);
}

#[test]
fn a_folder_named_twice_or_inside_another_is_indexed_once() {
    let ws = Workspace::new();
    ws.write("ar/a.md", &article("خبر", "نص أول"));
    ws.write("fr/f.md", &article("Titre", "texte"));
    let archive = ws.archive();
    let run = |roots: &[std::path::PathBuf]| {
        let output = ws
            .rasd()
            .args(["index", "--json"])
            .args(roots)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        summary(&common::json_lines(&output.stdout))
    };
    let roots = [
        archive.clone(),
        archive.join("ar"),
        archive.join("fr/f.md"),
        archive.join("ar/../."),
    ];
    assert_eq!(run(&roots), [2, 0, 0, 0, 0]);
    let expected: BTreeSet<String> = ["ar/a.md".into(), "fr/f.md".into()].into();
    assert_same_ids(&all_ids(&ws), &expected);
    assert_eq!(run(&roots), [0, 0, 0, 2, 0]);
    assert_eq!(run(&[archive]), [0, 0, 0, 2, 0]);
}

#[cfg(unix)]
#[test]
fn a_link_switched_to_a_new_snapshot_leaves_nothing_of_the_old_one() {
    let ws = Workspace::new();
    for n in 1..=3 {
        ws.write(
            &format!("snap1/a{n}.md"),
            &article("خبر", &format!("نص {n}")),
        );
    }
    ws.write("snap2/a2.md", &article("خبر", "نص 2"));
    ws.write("snap2/a3.md", &article("خبر", "نص 3"));
    let current = ws.archive().join("current");
    std::os::unix::fs::symlink("snap1", &current).unwrap();
    let run = || {
        let output = ws
            .rasd()
            .args(["index", "--json"])
            .arg(&current)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let lines = common::json_lines(&output.stdout);
        assert_eq!(lines.len(), 1, "no warning: {lines:?}");
        summary(&lines)
    };
    assert_eq!(run(), [3, 0, 0, 0, 0]);
    std::fs::remove_file(&current).unwrap();
    std::os::unix::fs::symlink("snap2", &current).unwrap();
    // The article withdrawn from the new snapshot goes, the others are the same files.
    assert_eq!(run()[2], 1);
    std::fs::remove_dir_all(ws.archive().join("snap1")).unwrap();
    assert_eq!(run(), [0, 0, 0, 2, 0]);
    let expected: BTreeSet<String> = ["a2.md".into(), "a3.md".into()].into();
    assert_same_ids(&all_ids(&ws), &expected);
}

/// A folder the user running rasd cannot read fails every run, keeps its articles, and is
/// named by `rasd stats` until a run reads it (a cron job that exits 1 every day must be able
/// to find why). Permissions do not hold for root, which reads every folder: there the unit
/// test of `indexer::diff` covers the notes, and this test checks nothing.
#[test]
fn an_unreadable_folder_fails_every_run_and_stats_names_it() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Workspace::new();
    ws.write("ar/one.txt", &article("أول", "نص أول."));
    ws.write("fr/deux.txt", &article("ثان", "نص ثان."));
    ws.index().success();
    let folder = ws.archive().join("fr");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read_dir(&folder).is_ok() {
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("permissions do not apply to this user: nothing to check");
        return;
    }
    let stats = |ws: &Workspace| {
        let output = ws.rasd().args(["stats", "--json"]).output().unwrap();
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    };
    // A dry run says so too, and has the status the run would have.
    let (lines, code) = index_json(&ws, &["--dry-run"]);
    assert_eq!(code, 1, "{lines:#?}");
    assert_eq!(lines[0]["severity"], "failed", "{lines:#?}");
    assert_eq!(lines.last().unwrap()["failed"], 1, "{lines:#?}");
    for _ in 0..2 {
        let (lines, code) = index_json(&ws, &[]);
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(code, 1, "{lines:#?}");
        assert!(
            lines[0]["reason"]
                .as_str()
                .unwrap()
                .contains("the articles the index holds from it are kept"),
            "{lines:#?}"
        );
        assert_eq!(all_ids(&ws).len(), 2);
        let stats = stats(&ws);
        assert_eq!(stats["unreadable"].as_array().unwrap().len(), 1, "{stats}");
        assert!(
            stats["unreadable"][0]["path"]
                .as_str()
                .unwrap()
                .ends_with("fr"),
            "{stats}"
        );
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    // A folder that can be listed but not entered: its files cannot be examined, and they
    // are named instead.
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o444)).unwrap();
    let (lines, code) = index_json(&ws, &[]);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, 1, "{lines:#?}");
    assert_eq!(all_ids(&ws).len(), 2);
    let named = stats(&ws);
    assert!(
        named["unreadable"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("deux.txt"),
        "{named}"
    );
    // Readable again: the next run is clean, and so are the notes.
    let (lines, code) = index_json(&ws, &[]);
    assert_eq!(code, 0, "{lines:#?}");
    let clean = stats(&ws);
    assert_eq!(clean["unreadable"].as_array().unwrap().len(), 0, "{clean}");
    assert_eq!(clean["failed_files"], 0, "{clean}");
    assert_eq!(all_ids(&ws).len(), 2);
}
