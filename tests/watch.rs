//! End-to-end tests of saved searches (`rasd watch`, `rasd index --watch`): what is reported
//! once and only once, across re-indexing, rebuilds, edits, killed runs and concurrent runs.

mod common;

use std::collections::BTreeSet;
use std::fs::File;
use std::path::Path;
use std::process::{Command as Process, Output, Stdio};
use std::time::Duration;

use common::{Workspace, cut_last, reprint};
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

/// One new article about the port, indexed: news for the saved search of [`watched`].
fn port_news(ws: &Workspace) {
    article(
        ws,
        "p3",
        "ميناء الدار البيضاء",
        "تفكيك شبكة تهريب عبر ميناء الدار البيضاء",
    );
    ws.index().success();
}

/// [`watched`], then [`port_news`].
fn watched_with_news() -> Workspace {
    let ws = watched();
    port_news(&ws);
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
fn news_printed_into_a_closed_output_is_an_error_and_is_reported_again() {
    let ws = watched_with_news();
    // `rasd watch run | true`: the reader is gone before rasd writes.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("rasd"))
        .env("RASD_INDEX", ws.index_path())
        .env_remove("RASD_CONFIG")
        .args(["watch", "run"])
        .stdout(writer)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("none is remembered"), "{stderr}");
    assert_eq!(watch_run(&ws), (vec!["ports p3".to_string()], 0));
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
fn a_search_renamed_by_hand_reports_what_came_since_its_last_run() {
    let ws = watched();
    assert_eq!(watch_run(&ws), (vec![], 1));
    port_news(&ws);
    let file = ws.index_path().join("watches.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("name = \"ports\"", "name = \"موانئ\"")).unwrap();
    let output = run(&ws, &["watch", "run", "--json"]);
    assert_eq!(alerts(&output), ["موانئ p3"], "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("`موانئ` carries on from `ports`"),
        "{stderr}"
    );
    let state = std::fs::read_to_string(ws.index_path().join("watch-state.json")).unwrap();
    assert!(!state.contains("\"ports\""), "{state}");
    assert_eq!(watch_run(&ws), (vec![], 1));
    // `watch remove` finds a table however TOML lets it be written.
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("[[watch]]", "[[ watch ]]")).unwrap();
    let output = run(&ws, &["watch", "remove", "موانئ"]);
    assert!(output.status.success(), "{output:?}");
    let list = run(&ws, &["watch", "list"]);
    assert_eq!(list.status.code(), Some(1));
    // Nothing saved: said on stderr, by `watch run` too.
    let said = String::from_utf8(list.stderr).unwrap();
    assert!(said.contains("no saved search: save one with"), "{said}");
    let said = String::from_utf8(run(&ws, &["watch", "run"]).stderr).unwrap();
    assert!(said.contains("no saved search: save one with"), "{said}");
    // Without an index, an error as for the other commands.
    let list = ws
        .rasd()
        .args(["--index", "no-such-index", "watch", "list"])
        .output()
        .unwrap();
    assert_eq!(list.status.code(), Some(2), "{list:?}");
    assert!(
        String::from_utf8(list.stderr)
            .unwrap()
            .contains("no index at")
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

/// Copies the file or folder `from` to `to`, folders whole.
fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
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

    // The whole sample corpus but its `feeds/`, which arrive later.
    let ws = Workspace::new();
    let sample = root.join("sample-corpus");
    for entry in std::fs::read_dir(&sample).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let target = if name == "feeds" {
            ws.dir.path().join("later/feeds")
        } else {
            ws.archive().join(&name)
        };
        copy_tree(&entry.path(), &target);
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

/// The Arabic sample story that [`syndicated`] reprints.
const CASABLANCA: &str = "ar/2016-03-12-casablanca-cell.md";

/// The sample story about a cell dismantled in Casablanca as outlet `n` reprints it: a new
/// id (`copy-N`), source and title, a dateline, the last paragraph cut or two paragraphs
/// swapped, spellings changed.
fn casablanca_copy(ws: &Workspace, n: usize) {
    let id = format!("copy-{n}");
    let text = reprint(
        CASABLANCA,
        &id,
        &format!("outlet-{n}"),
        &format!("سقوط خلية داعشية بالدار البيضاء ({n})"),
        |body| {
            let body = if n % 2 == 1 {
                cut_last(body)
            } else {
                let mut paragraphs: Vec<&str> = body.split("\n\n").collect();
                paragraphs.swap(1, 2);
                paragraphs.join("\n\n")
            };
            let body = body
                .replace("إرهابية", "ارهابيه")
                .replace("السلطات", "السُّلُطات");
            format!("الدار البيضاء - وكالات\n\n{body}")
        },
    );
    ws.write(&format!("copies/{id}.md"), &text);
}

/// Another story on the same subject and place, which repeats the sample story's opening: the
/// cell's trial, months later.
fn casablanca_trial(ws: &Workspace) {
    ws.write(
        "copies/trial.md",
        "---\ntitle: محاكمة أفراد خلية إرهابية بالدار البيضاء\ndate: 2016-09-20\nsource: \
         الحدث المغاربي\nlang: ar\nid: trial\n---\n\n\
         أعلنت السلطات المغربية، صباح اليوم السبت، عن تفكيك خلية إرهابية تتكون من خمسة عناصر \
         تتراوح أعمارهم بين 19 و34 سنة، كانت تنشط في مدينة الدار البيضاء وضواحيها.\n\n\
         وبعد ستة أشهر، مثل المتهمون الخمسة أمام غرفة الجنايات الابتدائية المكلفة بقضايا \
         الإرهاب بملحقة محكمة الاستئناف بسلا، حيث التمس ممثل النيابة العامة إدانتهم بتهم \
         تكوين عصابة لإعداد وارتكاب أفعال إرهابية والإشادة بتنظيم إرهابي.\n\n\
         وطالب دفاع المتهمين بتمتيعهم بظروف التخفيف بالنظر إلى سنهم وغياب سوابق قضائية، \
         فيما قررت المحكمة تأجيل النطق بالحكم إلى الأسبوع المقبل بعد الاستماع إلى الكلمة \
         الأخيرة للمتهمين الذين أكدوا تراجعهم عن أفكارهم المتطرفة.\n",
    );
}

/// An indexed archive of one unrelated article, with the saved search `cells` (خلية).
fn watching_cells() -> Workspace {
    let ws = Workspace::new();
    article(&ws, "c1", "هجوم إلكتروني", "اختراق موقع وزارة");
    ws.index().success();
    let output = run(&ws, &["watch", "add", "cells", "خلية"]);
    assert!(output.status.success(), "{output:?}");
    ws
}

/// [`watching_cells`], then the sample story, two of its copies and the trial arrive: indexed,
/// not yet run.
fn syndicated() -> Workspace {
    let ws = watching_cells();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-corpus");
    ws.write(
        CASABLANCA,
        &std::fs::read_to_string(sample.join(CASABLANCA)).unwrap(),
    );
    casablanca_copy(&ws, 1);
    casablanca_copy(&ws, 2);
    casablanca_trial(&ws);
    ws.index().success();
    ws
}

/// The JSON objects of `output`'s alerts.
fn alert_objects(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v.get("watch").is_some())
        .collect()
}

/// `ids` of a JSON array, sorted.
fn sorted(ids: &Value) -> Vec<&str> {
    let mut ids: Vec<&str> = ids
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn copies_arriving_in_one_run_are_one_alert_and_another_story_stays_apart() {
    let ws = syndicated();
    let output = run(&ws, &["watch", "run", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let alerts = alert_objects(&output);
    assert_eq!(alerts.len(), 2, "the story and the trial: {alerts:?}");
    let story = alerts
        .iter()
        .find(|a| a["id"] != "trial")
        .expect("the story's alert");
    let mut all = vec![story["id"].as_str().unwrap()];
    all.extend(sorted(&story["copy_ids"]));
    all.sort_unstable();
    assert_eq!(all, ["ar-2016-0312", "copy-1", "copy-2"]);
    assert_eq!(story["copies"], 2);
    assert_eq!(story["story"], story["id"]);
    assert_eq!(story["copy_of"], Value::Null);
    let trial = alerts.iter().find(|a| a["id"] == "trial").unwrap();
    assert_eq!(
        (&trial["copies"], &trial["copy_of"]),
        (&0.into(), &Value::Null)
    );
    let ranks: Vec<&Value> = alerts.iter().map(|a| &a["rank"]).collect();
    assert_eq!(ranks, [&Value::from(1), &Value::from(2)]);

    // One alert each in the state, and both stories remembered.
    let show = run(&ws, &["watch", "show", "cells", "--format", "json"]);
    assert!(show.status.success(), "{show:?}");
    let shown: Value = serde_json::from_str(stdout(&show).trim()).unwrap();
    assert_eq!(
        (&shown["alerts"], &shown["reported_stories"]),
        (&2.into(), &2.into())
    );
    assert_eq!(shown["seen"], 4);
}

#[test]
fn copies_in_text_are_named_under_the_story() {
    let ws = syndicated();
    let output = run(&ws, &["watch", "run"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = stdout(&output);
    assert!(
        text.starts_with("cells: 2 new stories (4 articles)\n"),
        "{text}"
    );
    assert!(text.contains("+2 copies: "), "{text}");

    let output = run(&ws, &["watch", "run", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(stdout(&output), "", "nothing new: no header either");
}

#[test]
fn a_copy_arriving_later_is_named_as_a_copy_of_the_reported_story_and_is_no_news() {
    let ws = syndicated();
    let output = run(&ws, &["watch", "run", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let story = alert_objects(&output)
        .into_iter()
        .find(|a| a["id"] != "trial")
        .unwrap();
    let (story_id, story_title) = (
        story["id"].as_str().unwrap(),
        story["title"].as_str().unwrap(),
    );

    casablanca_copy(&ws, 3);
    ws.index().success();
    let output = run(&ws, &["watch", "run", "--json"]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "only a copy: nothing new to read; {output:?}"
    );
    let lines = alert_objects(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["id"], "copy-3");
    assert_eq!(lines[0]["copy_of"], story_id);
    let today = lines[0]["reported"].as_str().unwrap();
    assert_eq!(today.len(), 10, "a day: {today}");
    assert_eq!(watch_run(&ws), (vec![], 1), "each copy is named once");

    casablanca_copy(&ws, 4);
    ws.index().success();
    let output = run(&ws, &["watch", "run"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "cells: 1 copy of a reported story", "{text}");
    assert!(
        lines[2].starts_with(&format!(
            "   copy of «{story_title}» reported {today}: outlet-4 · "
        )),
        "{text}"
    );
    assert!(lines[2].ends_with("copy-4.md"), "{text}");

    // A copy and a new story in one run: the run has news.
    casablanca_copy(&ws, 5);
    article(&ws, "cell-2", "خلية في فاس", "تفكيك خلية في فاس");
    ws.index().success();
    let output = run(&ws, &["watch", "run", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let csv = stdout(&output);
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",story,copies,copy_ids,copy_of,reported"),
        "{csv}"
    );
    assert!(csv.lines().nth(1).unwrap().starts_with("cells,1,"), "{csv}");
    assert!(
        csv.lines().nth(1).unwrap().contains(",cell-2,0,,,"),
        "{csv}"
    );
    assert!(
        csv.lines()
            .nth(2)
            .unwrap()
            .contains(&format!(",copy-5,0,,{story_id},{today}")),
        "{csv}"
    );

    let show = run(&ws, &["watch", "show", "cells"]);
    let show = stdout(&show);
    assert!(show.contains("alerts:   3\n"), "{show}");
    // cell-2's body is too short to sign: nobody's copy, so not remembered as a story.
    assert!(show.contains("stories:  2 reported\n"), "{show}");
}

#[test]
fn a_rebuild_keeps_the_reported_stories() {
    let ws = syndicated();
    assert_eq!(watch_run(&ws).1, 0);
    casablanca_copy(&ws, 3);
    let output = ws
        .rasd()
        .args(["index", "--watch", "--json", "--rebuild"])
        .arg(ws.archive())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "the indexing's status: {output:?}"
    );
    let lines = alert_objects(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["id"], "copy-3");
    assert!(lines[0]["copy_of"].is_string(), "{lines:?}");
}

#[test]
fn no_collapse_reports_every_copy_as_an_alert() {
    let ws = syndicated();
    let output = run(&ws, &["watch", "run", "--json", "--no-collapse"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let mut ids: Vec<String> = alert_objects(&output)
        .iter()
        .map(|a| {
            assert_eq!((&a["copies"], &a["copy_of"]), (&0.into(), &Value::Null));
            a["id"].as_str().unwrap().to_string()
        })
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, ["ar-2016-0312", "copy-1", "copy-2", "trial"]);

    // What it reported are stories too: a later copy is named as a copy of one of them.
    casablanca_copy(&ws, 3);
    let output = ws
        .rasd()
        .args(["index", "--watch", "--json"])
        .arg(ws.archive())
        .output()
        .unwrap();
    let lines = alert_objects(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0]["copy_of"].is_string(), "{lines:?}");

    casablanca_copy(&ws, 4);
    let output = ws
        .rasd()
        .args(["index", "--watch", "--json", "--no-collapse"])
        .arg(ws.archive())
        .output()
        .unwrap();
    let lines = alert_objects(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(
        (&lines[0]["id"], &lines[0]["copy_of"]),
        (&"copy-4".into(), &Value::Null)
    );
}

#[test]
fn saved_searches_are_listed_and_shown_as_json_lines() {
    let ws = watched();
    let output = run(
        &ws,
        &[
            "watch", "add", "fr", "port", "--lang", "fr", "--since", "2020",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let output = run(&ws, &["watch", "list", "--json"]);
    assert!(output.status.success(), "{output:?}");
    let lines: Vec<Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["name"], "ports");
    assert_eq!(lines[0]["query"], "ميناء OR port");
    assert_eq!(lines[0]["seen"], 2);
    assert_eq!(lines[0]["alerts"], 0);
    assert_eq!(lines[0]["last_run"], Value::Null);
    assert_eq!(lines[1]["lang"], serde_json::json!(["fr"]));
    assert_eq!(lines[1]["since"], "2020");
    assert_eq!(lines[1]["source"], serde_json::json!([]));

    let output = run(&ws, &["watch", "show", "ports", "--json"]);
    let shown: Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(shown, lines[0]);
}

#[test]
fn killed_runs_with_copies_never_lose_an_article_or_a_copy() {
    let ws = watching_cells();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-corpus");
    ws.write(
        CASABLANCA,
        &std::fs::read_to_string(sample.join(CASABLANCA)).unwrap(),
    );
    let mut written = BTreeSet::from(["ar-2016-0312".to_string()]);
    // Every id an alert names: its own, its copies', a copy of a reported story's.
    let mut named = BTreeSet::new();
    let mut name = |output: &Output| {
        for alert in alert_objects(output) {
            named.insert(alert["id"].as_str().unwrap().to_string());
            for id in alert["copy_ids"].as_array().unwrap() {
                named.insert(id.as_str().unwrap().to_string());
            }
        }
    };
    for (round, delay) in [0, 5, 20, 80, 200].into_iter().enumerate() {
        for n in [2 * round + 1, 2 * round + 2] {
            casablanca_copy(&ws, n);
            written.insert(format!("copy-{n}"));
        }
        let id = format!("k{round}");
        article(&ws, &id, "خلية", &format!("خلية {id}"));
        written.insert(id);
        let mut child = Process::new(assert_cmd::cargo::cargo_bin("rasd"))
            .env("RASD_INDEX", ws.index_path())
            .args(["index", "--json", "--watch", "--commit-every", "1"])
            .args(["--wait", "600"])
            .arg(ws.archive())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL: it may have finished already
        name(&child.wait_with_output().unwrap());
    }
    // What the killed runs did not report, the next run does.
    let output = ws
        .rasd()
        .args(["index", "--json", "--watch", "--wait", "600"])
        .arg(ws.archive())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    name(&output);
    assert_eq!(named, written);
    assert_eq!(watch_run(&ws), (vec![], 1));
}

#[test]
fn an_article_moved_or_renamed_is_no_news() {
    let ws = Workspace::new();
    ws.write(
        "2024/a.md",
        &common::article("ميناء طنجة", "حجز شحنة مخدرات في ميناء طنجة"),
    );
    ws.write(
        "2024/b.md",
        &common::article("Port", "saisie au port de Marseille"),
    );
    ws.index().success();
    assert!(
        run(&ws, &["watch", "add", "ports", "ميناء OR port"])
            .status
            .success()
    );
    // The folder renamed: the articles, known by their paths, have new ids, the same texts.
    std::fs::rename(ws.archive().join("2024"), ws.archive().join("2024-Q1")).unwrap();
    assert_eq!(index_watch(&ws, &[]), Vec::<String>::new());
    // A new text is news, under any id.
    ws.write(
        "2024-Q1/c.md",
        &common::article("ميناء", "تفكيك شبكة تهريب عبر ميناء الدار البيضاء"),
    );
    assert_eq!(index_watch(&ws, &[]), vec!["ports 2024-Q1/c.md"]);
    assert_eq!(watch_run(&ws), (vec![], 1));
}
