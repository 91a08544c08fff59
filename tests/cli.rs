//! End-to-end tests: the real `rasd` binary on real files in temporary folders.

mod common;

use std::path::Path;

use common::{Workspace, article};
use predicates::prelude::*;
use serde_json::Value;

/// A small archive with the variants the analyzer must bring together.
fn variants_archive() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "a.txt",
        &article("الإرهاب في المنطقة", "تقرير عن الإرهاب والجريمة."),
    );
    ws.write("b.txt", &article("ندوة", "ندوة حول والإرهاب والتطرف."));
    ws.write("c.txt", &article("تمويل", "إجراءات جديدة للإرهاب المالي."));
    ws.write(
        "d.txt",
        &article("قضاء", "محاكمة متهمين بالإرهاب في العاصمة."),
    );
    ws.write("e.txt", &article("تقرير", "تصاعد إرهاب الجماعات المسلحة."));
    ws.write("f.txt", &article("تفكيك", "تفكيك خَلِيَّةٍ إِرْهَابِيَّةٍ في المدينة."));
    ws.write(
        "g.txt",
        &article("حدود", "تعزيز الأمـــن على الحدود الشرقية."),
    );
    ws.write("h.txt", &article("فساد", "حملة مكافحة الفساد في الإدارات."));
    ws.write(
        "i.txt",
        &article("مؤتمر", "مؤتمر مكافحة الإرهاب في القاهرة."),
    );
    ws.write(
        "j.txt",
        &article("Sécurité", "La sécurité des frontières est renforcée."),
    );
    ws.index().success();
    ws
}

#[test]
fn clitic_and_inflected_forms_find_each_other() {
    let ws = variants_archive();
    let expected = vec![
        "a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt", "i.txt",
    ];
    for query in ["الإرهاب", "والإرهاب", "للإرهاب", "بالإرهاب", "إرهاب", "الارهاب"]
    {
        assert_eq!(ws.ids(query), expected, "query {query}");
    }
    // The noun finds its adjective (f.txt: خلية إرهابية), below the noun itself; the
    // adjective's forms find each other, and do not widen to the noun.
    let ranked: Vec<String> = ws
        .search("الإرهاب")
        .iter()
        .map(|hit| hit["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ranked.last().map(String::as_str),
        Some("f.txt"),
        "{ranked:?}"
    );
    assert_eq!(ws.ids("الإرهابيين"), vec!["f.txt"]);
}

#[test]
fn diacritised_and_stretched_forms_meet_bare_forms() {
    let ws = variants_archive();
    assert_eq!(ws.ids("خلية"), vec!["f.txt"]);
    assert_eq!(ws.ids("خَلِيَّة"), vec!["f.txt"]);
    assert_eq!(ws.ids("الأمن"), vec!["g.txt"]);
    assert_eq!(ws.ids("الأَمْن"), vec!["g.txt"]);
    assert_eq!(ws.ids("securite"), vec!["j.txt"]);
    assert_eq!(ws.ids("SÉCURITÉ"), vec!["j.txt"]);
}

#[test]
fn phrases_match_adjacent_words_only() {
    let ws = variants_archive();
    assert_eq!(ws.ids("\"مكافحة الإرهاب\""), vec!["i.txt"]);
    assert_eq!(ws.ids("\"مكافحة الفساد\""), vec!["h.txt"]);
    assert_eq!(ws.ids("\"الفساد مكافحة\""), Vec::<String>::new());
}

#[test]
fn boolean_operators() {
    let ws = variants_archive();
    assert_eq!(
        ws.ids("مكافحة الإرهاب"),
        vec!["i.txt"],
        "all words are required by default"
    );
    assert_eq!(ws.ids("مكافحة AND الفساد"), vec!["h.txt"]);
    assert_eq!(ws.ids("الفساد OR خلية"), vec!["f.txt", "h.txt"]);
    assert_eq!(ws.ids("مكافحة NOT الفساد"), vec!["i.txt"]);
    assert_eq!(ws.ids("مكافحة -الفساد"), vec!["i.txt"]);
    assert_eq!(ws.ids("+مكافحة +الفساد"), vec!["h.txt"]);
    assert_eq!(ws.ids("(الفساد OR خلية) AND تفكيك"), vec!["f.txt"]);
}

#[test]
fn title_matches_rank_above_body_matches() {
    let ws = Workspace::new();
    ws.write(
        "body.txt",
        &article("تقرير أسبوعي", "عن المخدرات والحدود والتهريب."),
    );
    ws.write(
        "title.txt",
        &article("تهريب المخدرات", "تقرير أسبوعي عن الحدود."),
    );
    ws.index().success();
    let hits = ws.search("المخدرات");
    assert_eq!(hits[0]["id"], "title.txt");
    assert_eq!(hits.len(), 2);
}

fn dated_archive() -> Workspace {
    let ws = Workspace::new();
    let feed = [
        r#"{"id":"old","title":"تهريب","body":"تهريب المخدرات","date":"2019-12-31"}"#,
        r#"{"id":"first","title":"تهريب","body":"تهريب المخدرات","date":"2024-01-01"}"#,
        r#"{"id":"last","title":"تهريب","body":"تهريب المخدرات","date":"2024-12-31T22:00:00Z"}"#,
        r#"{"id":"new","title":"تهريب","body":"تهريب المخدرات","date":"٢٠٢٥-٠١-٠١"}"#,
        r#"{"id":"undated","title":"تهريب","body":"تهريب المخدرات"}"#,
    ];
    ws.write("feed.jsonl", &feed.join("\n"));
    ws.index().success();
    ws
}

#[test]
fn date_ranges_cover_whole_days() {
    let ws = dated_archive();
    assert_eq!(
        ws.ids("تهريب date:[2024-01-01 TO 2024-12-31]"),
        vec!["first", "last"]
    );
    assert_eq!(ws.ids("تهريب date:2024"), vec!["first", "last"]);
    assert_eq!(ws.ids("تهريب date:>=2024-12"), vec!["last", "new"]);
    assert_eq!(ws.ids("date:<2020 AND تهريب"), vec!["old"]);
    let hits = ws.search("تهريب AND date:2025-01-01");
    assert_eq!(hits[0]["date"], "2025-01-01");
}

#[test]
fn a_date_range_without_brackets_or_a_quoted_date_is_read_as_meant() {
    let ws = dated_archive();
    // Without its brackets, `TO 2024` was two words no article has: nothing, silently.
    assert_eq!(
        ws.ids("تهريب date:2019 TO 2024"),
        vec!["first", "last", "old"]
    );
    assert_eq!(
        ws.ids("date:2024-01 TO 2025 AND تهريب"),
        vec!["first", "last", "new"]
    );
    assert_eq!(ws.ids("تهريب date:\"2024\""), vec!["first", "last"]);
}

#[test]
fn keyword_fields_match_whatever_the_case() {
    let ws = Workspace::new();
    ws.write("a.md", "---\ntitle: Raid\nsource: Maghreb Post\nlang: EN\ntags: [Drugs, border-security]\n---\nPolice seized cannabis.\n");
    ws.write(
        "b.md",
        "---\ntitle: Raid\nsource: Security Wire\nlang: en\n---\nPolice seized cocaine.\n",
    );
    // Plain text with front matter of the keys rasd reads takes it too.
    ws.write(
        "c.txt",
        "---\ntitle: Raid\nsource: Maghreb Post\n---\nPolice seized heroin.\n",
    );
    ws.index().success();
    assert_eq!(
        ws.ids("police AND source:\"maghreb post\""),
        vec!["a.md", "c.txt"]
    );
    assert_eq!(ws.ids("police lang:en"), vec!["a.md", "b.md"]);
    assert_eq!(ws.search("heroin")[0]["title"], "Raid");
    assert_eq!(ws.ids("police tags:drugs"), vec!["a.md"]);
}

#[test]
fn json_hits_follow_the_contract_and_highlight_whole_original_words() {
    let ws = variants_archive();
    let hits = ws.search_with(&["--all"], "خلية إرهاب");
    assert_eq!(hits.len(), 1);
    let hit = hits[0].as_object().unwrap();
    let keys: Vec<&str> = hit.keys().map(String::as_str).collect();
    let mut expected = vec![
        "rank",
        "score",
        "id",
        "path",
        "title",
        "date",
        "source",
        "lang",
        "url",
        "snippet",
        "highlights",
        "matched_words",
        "query_words",
        "related",
        "story",
        "copies",
        "copy_ids",
        "translated",
        "by_root",
        "transliterated",
    ];
    expected.sort();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(sorted, expected);
    assert_eq!(hit["rank"], 1);
    assert_eq!(
        (hit["matched_words"].clone(), hit["query_words"].clone()),
        (2.into(), 2.into())
    );
    assert!(hit["path"].as_str().unwrap().ends_with("f.txt"));
    assert_eq!(hit["date"], Value::Null);
    let snippet: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
    let words: Vec<String> = hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (start, end) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            // whole words: nothing alphabetic right before or after
            assert!(start == 0 || !snippet[start - 1].is_alphabetic());
            assert!(end == snippet.len() || !snippet[end].is_alphabetic());
            snippet[start..end].iter().collect()
        })
        .collect();
    assert_eq!(words, vec!["خَلِيَّةٍ", "إِرْهَابِيَّةٍ"]);
}

#[test]
fn json_output_has_nothing_but_hits_on_stdout() {
    let ws = variants_archive();
    let output = ws
        .rasd()
        .args(["search", "--json", "الإرهاب"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 7);
    assert!(
        stdout
            .lines()
            .all(|l| serde_json::from_str::<Value>(l).is_ok())
    );
}

#[test]
fn paging_with_limit_and_offset() {
    let ws = variants_archive();
    let all = ws.search("الإرهاب");
    let page = ws
        .rasd()
        .args(["search", "--json", "-n", "2", "--offset", "2", "الإرهاب"])
        .output()
        .unwrap();
    let page: Vec<Value> = common::json_lines(&page.stdout);
    assert_eq!(page.len(), 2);
    assert_eq!(page[0]["id"], all[2]["id"]);
    assert_eq!(page[0]["rank"], 3);
    // Past the last hit: nothing on stdout, and a note on stderr says why; the query still
    // matched.
    let past = ws
        .rasd()
        .args(["search", "--json", "--offset", "500", "الإرهاب"])
        .assert()
        .success();
    let output = past.get_output();
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    assert_eq!(
        stderr,
        "rasd: no hit at --offset 500: the hits end before it\n"
    );
    // A page that shows hits has no note, nor one asked to show none (probe 17).
    for limit in ["10", "0"] {
        ws.rasd()
            .args(["search", "-n", limit, "--offset", "1", "الإرهاب"])
            .assert()
            .success()
            .stderr("");
    }
}

#[test]
fn text_output_shows_hits_and_the_total() {
    let ws = variants_archive();
    ws.rasd()
        .args(["search", "خلية"])
        .assert()
        .success()
        .stdout(predicate::str::contains("1. تفكيك"))
        .stdout(predicate::str::contains("archive/f.txt"))
        .stdout(predicate::str::contains("خَلِيَّةٍ"))
        .stdout(predicate::str::contains("1 article matched"))
        .stdout(predicate::str::contains("\x1b[").not());
}

#[test]
fn colors_follow_the_flag_and_no_color() {
    let ws = variants_archive();
    ws.rasd()
        .args(["--color", "always", "search", "خلية"])
        .assert()
        .stdout(predicate::str::contains("\x1b["));
    ws.rasd()
        .args(["--color", "never", "search", "خلية"])
        .assert()
        .stdout(predicate::str::contains("\x1b[").not());
    // Under test stdout is a pipe, so `auto` colors only when forced: that forced case
    // shows NO_COLOR is what turns colors off.
    ws.rasd()
        .env("CLICOLOR_FORCE", "1")
        .args(["search", "خلية"])
        .assert()
        .stdout(predicate::str::contains("\x1b["));
    ws.rasd()
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .args(["search", "خلية"])
        .assert()
        .stdout(predicate::str::contains("\x1b[").not());
    ws.rasd()
        .env("NO_COLOR", "1")
        .args(["search", "خلية"])
        .assert()
        .stdout(predicate::str::contains("\x1b[").not());
}

#[test]
fn no_match_exits_with_one() {
    let ws = variants_archive();
    ws.rasd()
        .args(["search", "كلمةغيرموجودة"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("0 articles matched"));
}

#[test]
fn reindexing_replaces_instead_of_duplicating() {
    let ws = variants_archive();
    ws.write("a.txt", &article("الإرهاب في المنطقة", "نص محدث عن الإرهاب."));
    ws.index().success().stderr(predicate::str::contains(
        "0 added, 1 updated, 0 removed, 9 unchanged",
    ));
    ws.rasd()
        .args(["stats", "--json"])
        .assert()
        .stdout(predicate::str::contains("\"documents\":10"));
    assert_eq!(ws.ids("محدث"), vec!["a.txt"]);
}

#[test]
fn malformed_json_line_is_reported_and_the_rest_indexed() {
    let ws = Workspace::new();
    ws.write("feed.jsonl", "{\"title\":\"تهريب\",\"body\":\"أول\"}\n{\"title\": broken\n{\"title\":\"تهريب\",\"body\":\"ثالث\"}\n");
    ws.write("good.txt", &article("تهريب", "نص"));
    ws.index()
        .code(1)
        .stderr(predicate::str::contains("feed.jsonl:2: invalid JSON"))
        .stderr(predicate::str::contains("3 added"))
        .stderr(predicate::str::contains("1 failed"));
    assert_eq!(
        ws.ids("تهريب"),
        vec!["feed.jsonl#1", "feed.jsonl#3", "good.txt"]
    );
}

#[test]
fn index_reports_problems_as_json_lines() {
    let ws = Workspace::new();
    ws.write(
        "feed.jsonl",
        "{\"title\":\"a\",\"body\":\"b\",\"date\":\"soon\"}\nnot json\n",
    );
    let output = ws
        .rasd()
        .arg("index")
        .arg("--json")
        .arg(ws.archive())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<Value> = common::json_lines(&output.stdout);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["severity"], "warning");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[2]["added"], 1);
    assert_eq!(lines[2]["failed"], 1);
}

#[test]
fn missing_path_is_an_error() {
    let ws = Workspace::new();
    ws.rasd()
        .args(["index", "no/such/folder"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no/such/folder: no such file or folder",
        ));
    assert!(!ws.index_path().exists(), "nothing is created");
}

#[test]
fn empty_folder_is_an_error() {
    let ws = Workspace::new();
    ws.write("notes.docx", "x");
    ws.index().code(2).stderr(
        predicate::str::contains("nothing to index")
            .and(predicate::str::contains("(other files skipped: 1)")),
    );
    // No index is left behind: a search says there is none, not that nothing matched.
    assert!(!ws.index_path().exists(), "nothing is created");
    ws.rasd()
        .args(["search", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no index at"));
}

#[test]
fn malformed_queries_are_errors() {
    let ws = variants_archive();
    for (query, message) in [
        (
            "\"مكافحة الإرهاب",
            "the quote `\"` is never closed (character 1): ‸\"مكافحة الإرهاب",
        ),
        ("(الإرهاب", "this `(` is never closed by `)` (character 1)"),
        (
            "الإرهاب (تونس OR (ليبيا) x",
            "this `(` is never closed by `)` (character 9): الإرهاب ‸(تونس",
        ),
        // Full-width brackets are brackets, and shown as typed.
        (
            "（الإرهاب",
            "this `（` is never closed by `)` (character 1): ‸（الإرهاب",
        ),
        // A bracket glued to a word groups as with a space (`Daech(ISIS)`).
        (
            "الإرهاب(تونس",
            "this `(` is never closed by `)` (character 8)",
        ),
        (
            "الإرهاب） x",
            "this `)` closes no `(` (character 8): الإرهاب‸） x",
        ),
        // tantivy would take the `]` for the group's `)` at the end, and refuse it elsewhere.
        (
            "(الإرهاب OR تونس]",
            "this `]` closes a `(`: write `)`, or put the text in quotes to search it as \
             written (character 17): (الإرهاب OR تونس‸]",
        ),
        ("date:２０２４-１３", "`２０２４-１３` is not a date"),
        (
            "nosuchfield:x",
            "unknown field `nosuchfield:`; the fields are",
        ),
        ("date:[2024-01-01 TO soon]", "`soon` is not a date"),
        (
            "array[1]",
            "or a bracket of a range ([ ] { }) has no word to act on",
        ),
        (
            "> الإرهاب",
            "or a comparison (`>`, `>=`, `<`, `<=`) needs a field",
        ),
        ("[a TO b]", "a range (`[a TO b]`) or a comparison"),
        (
            "date:[ TO 2020]",
            "has no date before TO; write `*` for an open end",
        ),
        ("date:{2020 TO 2021}", "holds no date: a brace leaves out"),
        (
            "OR الإرهاب",
            "has no word before it; put words in quotes to search them as written (character 1): ‸OR",
        ),
        (
            "+-x date:2024",
            "an operator (AND, OR, NOT, +, -) or a bracket",
        ),
    ] {
        ws.rasd()
            .args(["search", query])
            .assert()
            .code(2)
            .stderr(
                predicate::str::starts_with("rasd: error: invalid query")
                    .and(predicate::str::contains(message)),
            )
            .stderr(predicate::str::contains("panicked").not());
    }
}

#[test]
fn missing_index_says_how_to_create_one() {
    let ws = Workspace::new();
    for command in [vec!["search", "x"], vec!["stats"]] {
        ws.rasd().args(&command).assert().code(2).stderr(
            predicate::str::contains("no index at")
                .and(predicate::str::contains("rasd index PATH")),
        );
    }
}

#[test]
fn stats_describe_the_index() {
    let ws = dated_archive();
    let output = ws.rasd().args(["stats", "--json"]).output().unwrap();
    let stats: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(stats["documents"], 5);
    assert_eq!(stats["index_path"], ws.index_path().display().to_string());
    assert_eq!(stats["first_date"], "2019-12-31");
    assert_eq!(stats["last_date"], "2025-01-01");
    assert_eq!(stats["languages"][0][0], "ar");
    ws.rasd()
        .arg("stats")
        .assert()
        .success()
        .stdout(predicate::str::contains("articles:   5"));
}

#[test]
fn analyze_shows_offsets_and_stages() {
    let ws = Workspace::new();
    ws.rasd()
        .args(["analyze", "في الْإِرْهَابُ"])
        .assert()
        .success()
        .stdout(predicate::str::contains("الْإِرْهَابُ").and(predicate::str::contains("3..15")))
        .stdout(predicate::str::contains("الارهاب").and(predicate::str::contains("ارهاب")))
        .stdout(predicate::str::contains("(stop word)"))
        // one row per word: position (the stop word has none), offsets, original, surface, stem
        .stdout(predicate::str::is_match(r"(?m)^ +- +0\.\.2 +في ").unwrap())
        .stdout(predicate::str::is_match(r"(?m)^ +0 +3\.\.15 +الْإِرْهَابُ +الارهاب +ارهاب$").unwrap());
}

/// `analyze --query` shows where a phrase leaves a place any word may fill (a negation, a
/// sentence end typed inside the quotes): the phrase's terms alone hid it (probe 11, G3).
#[test]
fn analyze_shows_a_phrase_gaps() {
    let ws = Workspace::new();
    ws.rasd()
        .args([
            "analyze",
            "--query",
            "\"الهجرة غير الشرعية\" \"الأمن الوطني\"",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("هجر _ شرعي"))
        .stdout(predicate::str::contains("امن وطني"));
    let output = ws
        .rasd()
        .args(["analyze", "--json", "--query", "\"الهجرة غير الشرعية\""])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        json["literals"][0]["terms"][0]["gaps_after"],
        serde_json::json!([0])
    );
}

#[test]
fn a_malformed_schema_names_its_line() {
    let ws = Workspace::new();
    ws.write("a.txt", "t\nb");
    let schema_dir = ws.dir.path().join("schema");
    std::fs::create_dir_all(&schema_dir).unwrap();
    let schema = include_str!("../index-schema/schema.toml").replacen(
        "type = \"date\"",
        "type = \"when\"",
        1,
    );
    let line = schema.lines().position(|l| l.contains("\"when\"")).unwrap() + 1;
    std::fs::write(schema_dir.join("schema.toml"), schema).unwrap();
    ws.rasd()
        .arg("index")
        .arg("--schema")
        .arg(schema_dir.join("schema.toml"))
        .arg(ws.archive())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "schema.toml:{line}: field `date`: unknown type `when`"
        )));
}

#[test]
fn an_index_built_with_another_schema_asks_for_a_rebuild() {
    let ws = variants_archive();
    let schema_dir = ws.dir.path().join("schema");
    std::fs::create_dir_all(&schema_dir).unwrap();
    for entry in std::fs::read_dir("index-schema").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            std::fs::copy(&path, schema_dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    let builtin = include_str!("../index-schema/schema.toml");
    let version: u32 = builtin
        .lines()
        .find_map(|l| l.strip_prefix("version = "))
        .unwrap()
        .parse()
        .unwrap();
    let schema = builtin.replacen(
        &format!("version = {version}"),
        &format!("version = {}", version + 1),
        1,
    );
    std::fs::write(schema_dir.join("schema.toml"), schema).unwrap();
    let with_schema = |extra: &[&str]| {
        let mut cmd = ws.rasd();
        cmd.arg("index")
            .arg("--schema")
            .arg(schema_dir.join("schema.toml"))
            .args(extra)
            .arg(ws.archive());
        cmd
    };
    with_schema(&[]).assert().code(2).stderr(
        predicate::str::contains(format!("rasd-news v{version}"))
            .and(predicate::str::contains("--rebuild")),
    );
    with_schema(&["--rebuild"]).assert().success();
    ws.rasd()
        .args(["stats"])
        .assert()
        .stdout(predicate::str::contains(format!(
            "rasd-news v{}",
            version + 1
        )));
    assert_eq!(ws.ids("خلية"), vec!["f.txt"]);
}

#[test]
fn sample_corpus_finds_clitic_and_diacritised_forms() {
    let ws = Workspace::new();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-corpus");
    ws.rasd().arg("index").arg(&corpus).assert().success();
    for query in ["والإرهاب", "خَلِيَّة", "الأَمْن", "مسئول"] {
        let hits = ws.search(query);
        assert!(hits.len() >= 2, "{query}: {} hits", hits.len());
        for hit in &hits {
            let snippet: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
            for range in hit["highlights"].as_array().unwrap() {
                let (s, e) = (
                    range[0].as_u64().unwrap() as usize,
                    range[1].as_u64().unwrap() as usize,
                );
                assert!(s < e && e <= snippet.len());
                assert!(
                    s == 0 || !snippet[s - 1].is_alphabetic(),
                    "{query}: cut word in {}",
                    hit["id"]
                );
                assert!(
                    e == snippet.len() || !snippet[e].is_alphabetic(),
                    "{query}: cut word in {}",
                    hit["id"]
                );
            }
        }
    }
}

#[test]
fn closing_the_pipe_early_is_quiet() {
    let ws = Workspace::new();
    let body = "تهريب المخدرات عبر الحدود ".repeat(40);
    let lines: Vec<String> = (0..300)
        .map(|i| format!(r#"{{"id":"{i}","title":"تهريب {i}","body":"{body}"}}"#))
        .collect();
    ws.write("feed.jsonl", &lines.join("\n"));
    ws.index().success();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("rasd"))
        .env("RASD_INDEX", ws.index_path())
        .args(["search", "-n", "300", "تهريب"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn an_empty_variable_counts_as_unset() {
    let ws = Workspace::new();
    ws.write("a.txt", &article("تهريب", "تهريب المخدرات عبر الحدود."));
    ws.index().success();
    // The default configuration file names the index: the empty variables must not hide it.
    let config = ws.dir.path().join("config/rasd/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    let index = ws.index_path().display().to_string().replace('\\', "\\\\");
    std::fs::write(&config, format!("index = \"{index}\"\n")).unwrap();
    let output = ws
        .rasd()
        .env("RASD_INDEX", "")
        .env("RASD_CONFIG", "")
        .env("RASD_BIDI", "")
        .args(["search", "--json", "تهريب"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_bad_value_from_the_environment_names_the_variable() {
    let ws = Workspace::new();
    let stderr = |args: &[&str]| {
        let output = ws
            .rasd()
            .env("RASD_BIDI", "bogus")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        String::from_utf8(output.stderr).unwrap()
    };
    assert_eq!(
        stderr(&["search", "x"]),
        "rasd: error: invalid value 'bogus' for RASD_BIDI; [possible values: auto, on, off]\n"
    );
    // A bad value typed is the option's.
    assert!(
        stderr(&["search", "--bidi=nope", "x"])
            .contains("invalid value 'nope' for '--bidi <WHEN>'")
    );
}

/// Runs rasd with its stdout a pipe already closed, as `| true` leaves it: every write fails.
fn into_closed_pipe(ws: &Workspace, args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("rasd"));
    command.env("RASD_INDEX", ws.index_path()).args(args);
    command.stdout(writer).output().unwrap()
}

#[test]
fn every_output_into_a_closed_pipe_ends_quietly() {
    let ws = Workspace::new();
    ws.write("a.txt", &article("تهريب", "تهريب المخدرات عبر الحدود."));
    ws.index().success();
    let runs: &[&[&str]] = &[
        &["search", "تهريب"],
        &["search", "--json", "تهريب"],
        &["search", "--format", "csv", "تهريب"],
        &["completions", "bash"],
        &["completions", "zsh"],
        &["completions", "fish"],
        &["man"],
        &["man", "search"],
    ];
    for args in runs {
        let output = into_closed_pipe(&ws, args);
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{args:?}");
        assert_eq!(output.status.code(), Some(0), "{args:?}");
    }
}

#[test]
fn notes_into_a_closed_stderr_end_quietly() {
    let ws = Workspace::new();
    ws.write("a.txt", &article("تهريب", "تهريب المخدرات عبر الحدود."));
    ws.index().success();
    ws.write("b.txt", "");
    let archive = ws.archive();
    let runs: &[&[&str]] = &[
        // A note on stderr: the stop words.
        &["search", "في من على تهريب"],
        // A warning per problem, and the summary line.
        &["index", archive.to_str().unwrap()],
    ];
    for args in runs {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("rasd"));
        command.env("RASD_INDEX", ws.index_path()).args(*args);
        let output = command.stderr(writer).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
    }
}

#[test]
fn proclitic_forms_are_found_at_query_time_and_rank_below_the_written_form() {
    let ws = Workspace::new();
    ws.write("d1.txt", &article("خبر", "بيان عن داعش اليوم."));
    ws.write("d2.txt", &article("خبر", "بيان عن لداعش اليوم."));
    ws.write("d3.txt", &article("خبر", "بيان عن بداعش اليوم."));
    ws.write(
        "p1.txt",
        &article("مؤتمر", "مؤتمر لمكافحة الإرهاب في القاهرة."),
    );
    ws.write("p2.txt", &article("ندوة", "ندوة ومكافحة الإرهاب في تونس."));
    ws.write("p3.txt", &article("حملة", "حملة مكافحة الفساد في الإدارات."));
    ws.write("w1.txt", &article("وطن", "حب وطن كبير."));
    ws.index().success();
    let hits = ws.search("داعش");
    assert_eq!(hits.len(), 3);
    assert_eq!(hits[0]["id"], "d1.txt", "the written form ranks first");
    let snippet: Vec<char> = hits[1]["snippet"].as_str().unwrap().chars().collect();
    let [s, e] = [0, 1].map(|i| hits[1]["highlights"][0][i].as_u64().unwrap() as usize);
    let highlighted: String = snippet[s..e].iter().collect();
    assert!(
        highlighted == "لداعش" || highlighted == "بداعش",
        "{highlighted}"
    );
    assert_eq!(ws.ids("\"مكافحة الإرهاب\""), vec!["p1.txt", "p2.txt"]);
    assert_eq!(
        ws.ids("طن"),
        Vec::<String>::new(),
        "two-letter words are not expanded: طن is not وطن"
    );
}

#[test]
fn a_definite_word_also_finds_its_indefinite_form_after_a_proclitic() {
    let ws = Workspace::new();
    ws.write(
        "w.txt",
        &article("خبر", "أكد أن مكافحة التطرف وإرهاب الجماعات أولوية."),
    );
    ws.write(
        "l.txt",
        &article("خبر", "حجز أسلحة ومتفجرات ومعدات لإرهاب السكان."),
    );
    ws.write("d.txt", &article("خبر", "خطة لمكافحة الإرهاب في المنطقة."));
    ws.index().success();
    let mut ids = ws.ids("الإرهاب");
    assert_eq!(ids[0], "d.txt", "the form with the article ranks first");
    ids.sort();
    assert_eq!(ids, vec!["d.txt", "l.txt", "w.txt"]);
    assert_eq!(ws.ids("المتفجرات"), vec!["l.txt"]);
    // The article is no proclitic: a word that is two letters without it is left alone.
    ws.write("h.txt", &article("خبر", "صدر حكم بحق المتهمين."));
    ws.index().success();
    assert_eq!(ws.ids("الحق"), Vec::<String>::new());
    // A phrase's first word keeps its article: `وإرهاب الجماعات` is another phrase than
    // `"الإرهاب الجماعات"`, and no form of it.
    ws.write("p.txt", &article("خبر", "تصاعد الإرهاب الجماعات المسلحة."));
    ws.index().success();
    assert_eq!(ws.ids("\"الإرهاب الجماعات\""), vec!["p.txt"]);
}

#[test]
fn exact_mode_matches_only_the_written_form() {
    let ws = Workspace::new();
    ws.write("plain.txt", &article("خبر", "اعتقال الارهابيين في المدينة."));
    ws.write("marked.txt", &article("خبر", "اعتقال الإِرْهَابِيِّينَ في القرية."));
    ws.write("stem.txt", &article("خبر", "تقرير عن الجماعات الإرهابية."));
    ws.write("clitic.txt", &article("خبر", "ملاحقة للإرهابيين في الجبال."));
    ws.index().success();
    let all = ws.ids("الإرهابيين");
    assert!(all.contains(&"stem.txt".to_string()), "{all:?}");
    for query in ["exact:الإرهابيين", "exact:\"الإرهابيين\""] {
        assert_eq!(ws.ids(query), vec!["marked.txt", "plain.txt"], "{query}");
    }
    let output = ws
        .rasd()
        .args(["search", "--json", "--exact", "الإرهابيين"])
        .output()
        .unwrap();
    let hits: Vec<Value> = common::json_lines(&output.stdout);
    let mut ids: Vec<&str> = hits.iter().map(|h| h["id"].as_str().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, vec!["marked.txt", "plain.txt"]);
    // The exact match is highlighted in the snippet, marks included.
    for hit in &hits {
        let text: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
        let [start, end] = [0, 1].map(|i| hit["highlights"][0][i].as_u64().unwrap());
        let word: String = text[start as usize..end as usize].iter().collect();
        assert!(word == "الارهابيين" || word == "الإِرْهَابِيِّينَ", "{word}");
    }
    // An exact phrase and a normal word combine.
    assert_eq!(
        ws.ids("exact:\"اعتقال الارهابيين\" المدينة"),
        vec!["plain.txt"]
    );
}

#[test]
fn french_and_english_articles_are_stemmed_in_their_language() {
    let ws = Workspace::new();
    ws.write(
        "fr.md",
        "---\nlang: fr\n---\n# Démantèlement\n\nLes enquêteurs ont démantelé un réseau de trafiquants à Marseille.\n",
    );
    ws.write(
        "en.md",
        "---\nlang: en\n---\n# Smugglers held\n\nPolice arrested three smugglers near the port of Tangier.\n",
    );
    ws.write(
        "ar.txt",
        &article("خبر", "القبض على trafiquant واحد في الميناء."),
    );
    ws.index().success();
    assert_eq!(ws.ids("démantèlement trafiquant"), vec!["fr.md"]);
    assert_eq!(ws.ids("demantelement reseaux"), vec!["fr.md"]);
    assert_eq!(ws.ids("smuggler arrests"), vec!["en.md"]);
    // A phrase matches other inflections of its words, stop words included.
    assert_eq!(ws.ids("\"réseaux de trafiquant\""), vec!["fr.md"]);
    // Arabic words keep their Arabic analysis in every article.
    assert_eq!(ws.ids("الميناء"), vec!["ar.txt"]);
    // The stemmed word is highlighted in the snippet. (Without the glossary: in three
    // articles, the Arabic القبض على, its translation, is rarer than `arrest`.)
    let hits = ws.search_with(&["--no-glossary"], "arrest");
    let text: Vec<char> = hits[0]["snippet"].as_str().unwrap().chars().collect();
    let [start, end] = [0, 1].map(|i| hits[0]["highlights"][0][i].as_u64().unwrap());
    assert_eq!(
        text[start as usize..end as usize]
            .iter()
            .collect::<String>(),
        "arrested"
    );
}

#[test]
fn analyze_query_shows_terms_per_field_and_proclitic_forms() {
    let ws = variants_archive();
    ws.rasd()
        .args(["analyze", "--no-glossary", "--query", "الإرهاب date:2024"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "searched  ((الإرهاب OR body:ارهابي^0.15)",
        ))
        .stdout(predicate::str::contains("والإرهاب^0.5"))
        .stdout(predicate::str::is_match(r"(?m)^  ارهاب +title, body$").unwrap())
        .stdout(predicate::str::contains(
            "proclitic form found in the index",
        ))
        .stdout(
            predicate::str::is_match(
                r"(?m)^  ارهابي +noun and adjective, found in the index, weight 0.15$",
            )
            .unwrap(),
        );
    let output = ws
        .rasd()
        .args(["analyze", "--query", "--exact", "--json", "الإرهاب"])
        .output()
        .unwrap();
    let explained: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(explained["literals"][0]["exact"], true);
    assert_eq!(explained["literals"][0]["variants"], serde_json::json!([]));
    assert_eq!(
        explained["literals"][0]["terms"][0]["fields"],
        serde_json::json!(["title_surface", "body_surface"])
    );
    // Without an index, a query is explained as a new index would search it.
    Workspace::new()
        .rasd()
        .args(["analyze", "--query", "arrestations"])
        .assert()
        .success()
        .stdout(
            predicate::str::is_match(r"(?m)^  arrest +title_fr, body_fr, title_en, body_en$")
                .unwrap(),
        );
}

#[test]
fn analyze_query_says_where_a_phrase_is_matched_for_views_without_positions() {
    let ws = variants_archive();
    ws.rasd()
        .args(["analyze", "--query", "\"تفكيك خلية\""])
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"(?m)^  تفكيك خلي +title, body$").unwrap())
        .stdout(
            predicate::str::is_match(
                r"(?m)^  تفكيك خليه +title_surface, body_surface: each word, the phrase matched in title, body",
            )
            .unwrap(),
        );
    let output = ws
        .rasd()
        .args(["analyze", "--query", "--json", "\"تفكيك خلية\""])
        .output()
        .unwrap();
    let explained: Value = serde_json::from_slice(&output.stdout).unwrap();
    let terms = &explained["literals"][0]["terms"];
    assert_eq!(terms[0]["phrase_in"], serde_json::json!([]));
    assert_eq!(
        terms[1]["fields"],
        serde_json::json!(["title_surface", "body_surface"])
    );
    assert_eq!(terms[1]["phrase_in"], serde_json::json!(["title", "body"]));
}

#[test]
fn written_form_ranks_above_stem_only_matches() {
    let ws = Workspace::new();
    ws.write("stem.txt", &article("خبر", "محاكمة إرهابي في المدينة."));
    ws.write(
        "surface.txt",
        &article("خبر", "محاكمة الإرهابيين في المدينة."),
    );
    ws.index().success();
    let hits = ws.search("الإرهابيين");
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0]["id"], "surface.txt");
}

#[test]
fn an_index_from_another_analyzer_version_asks_for_a_rebuild() {
    let ws = variants_archive();
    let meta_path = common::current_generation(&ws.index_path()).join("meta.json");
    let mut meta: Value = serde_json::from_slice(&std::fs::read(&meta_path).unwrap()).unwrap();
    let mut payload: Value = serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap();
    let version = payload["analyzer_version"].as_u64().unwrap();
    payload["analyzer_version"] = Value::from(version - 1);
    meta["payload"] = Value::from(payload.to_string());
    std::fs::write(&meta_path, meta.to_string()).unwrap();
    let needs_rebuild = || {
        predicate::str::contains(format!("analyzer v{}", version - 1))
            .and(predicate::str::contains("rasd index --rebuild"))
    };
    ws.rasd()
        .args(["search", "الإرهاب"])
        .assert()
        .code(2)
        .stderr(needs_rebuild());
    ws.index().code(2).stderr(needs_rebuild());
    ws.rebuild().success();
    assert!(!ws.ids("الإرهاب").is_empty());
}

#[test]
fn each_command_has_its_manual_page_with_its_options() {
    let ws = Workspace::new();
    let page = |args: &[&str]| {
        let output = ws.rasd().args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}: {output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let main = page(&["man"]);
    assert!(main.contains("rasd\\-search(1)"), "{main}");
    let search = page(&["man", "search"]);
    assert!(
        search.starts_with(".ie") && search.contains(".TH rasd-search 1"),
        "{search}"
    );
    assert!(search.contains("\\-\\-limit"), "{search}");
    let footer = format!("\"rasd {}\"", env!("CARGO_PKG_VERSION"));
    assert!(search.contains(&footer), "{search}");
    assert!(main.contains(&footer), "{main}");
    assert!(page(&["man", "watch", "add"]).contains(".TH rasd-watch-add 1"));
    let output = ws.rasd().args(["man", "nope"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("has no command `nope`; its commands are index, search"),
        "{stderr}"
    );
}

/// Every command's help ends with examples a new user can copy.
#[test]
fn every_command_help_shows_examples() {
    let ws = Workspace::new();
    let commands: [&[&str]; 13] = [
        &["index"],
        &["search"],
        &["analyze"],
        &["stats"],
        &["similar"],
        &["watch"],
        &["watch", "add"],
        &["watch", "list"],
        &["watch", "show"],
        &["watch", "remove"],
        &["watch", "run"],
        &["completions"],
        &["man"],
    ];
    for command in commands {
        let output = ws.rasd().args(command).arg("--help").output().unwrap();
        assert!(output.status.success(), "{command:?}");
        let help = String::from_utf8(output.stdout).unwrap();
        let examples = help
            .split_once("\nExamples:\n")
            .or_else(|| help.split_once("\nInstall:\n"))
            .map(|(_, examples)| examples);
        assert!(
            examples.is_some_and(|e| e.contains("rasd ")),
            "{command:?}: {help}"
        );
        // A line a 60-column terminal would wrap could be pasted as two commands.
        for line in examples.into_iter().flat_map(str::lines) {
            assert!(line.chars().count() <= 58, "{command:?}: {line}");
        }
    }
}
