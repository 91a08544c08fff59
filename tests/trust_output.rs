//! End-to-end tests of what reaches a person's terminal or spreadsheet from a hostile or
//! damaged archive: escape sequences, bidi overrides, forged message lines, formulas, huge
//! fields, mojibake, file names that are not UTF-8, huge records.

mod common;

use common::Workspace;

const OSC_TITLE: &str = "\u{1b}]0;pwned\u{7}";
const OVERRIDE: char = '\u{202E}';

/// True when `text` holds nothing that drives a terminal or reorders a line, apart from
/// rasd's own SGR styles (`ESC [ … m`).
fn is_clean(text: &str) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        let after = &rest[at + 1..];
        let Some(sgr) = after.strip_prefix('[') else {
            return false;
        };
        let end = sgr.find(|c: char| !(c.is_ascii_digit() || c == ';'));
        match end {
            Some(end) if sgr[end..].starts_with('m') => rest = &sgr[end + 1..],
            _ => return false,
        }
    }
    !text.contains(['\u{7}', OVERRIDE])
}

fn stdout_of(ws: &Workspace, args: &[&str]) -> String {
    let output = ws.rasd().args(args).output().unwrap();
    assert!(output.status.code() == Some(0), "{output:?}");
    assert!(is_clean(&String::from_utf8_lossy(&output.stderr)));
    String::from_utf8(output.stdout).unwrap()
}

/// An archive whose every field carries an OSC sequence and a bidi override.
fn hostile() -> Workspace {
    let ws = Workspace::new();
    let evil = format!("{OSC_TITLE}{OVERRIDE}");
    let record = serde_json::json!({
        "id": format!("id{evil}"),
        "title": format!("رصد title{evil}"),
        "body": format!("body text{evil} more body"),
        "source": format!("source{evil}"),
        "tags": [format!("tag{evil}")],
        "url": format!("https://x.test/{evil}"),
        "date": format!("2024-13-45{evil}"),
    });
    ws.write("feed.jsonl", &format!("{record}\n"));
    ws
}

#[test]
fn text_output_has_only_rasds_own_styles() {
    let ws = hostile();
    let index = ws.index().success();
    let stderr = String::from_utf8_lossy(&index.get_output().stderr).to_string();
    assert!(is_clean(&stderr), "{stderr:?}");
    assert!(stderr.contains("invalid date `2024-13-45\\u{1b}]0;pwned\\u{7}\\u{202e}`"));
    let out = stdout_of(
        &ws,
        &[
            "--color",
            "always",
            "search",
            "body",
            "--facets",
            "source,tags",
        ],
    );
    assert!(out.contains("\u{1b}["), "colors are on: {out:?}");
    assert!(is_clean(&out), "{out:?}");
    assert!(
        out.contains("source\\u{1b}]0;pwned\\u{7}\\u{202e}"),
        "{out}"
    );
    assert!(out.contains("tag\\u{1b}]0;pwned"), "{out}");
    let stats = stdout_of(&ws, &["stats"]);
    assert!(
        is_clean(&stats) && stats.contains("source\\u{1b}]0;pwned"),
        "{stats}"
    );
}

/// A query pasted with control characters is shown by `analyze --query` as escapes, on every
/// line, whether or not the output is styled: not as a terminal sequence, and not dropped
/// with the letter after it (which stripping styles for a pipe did to `ESC X`).
#[test]
fn a_query_with_control_characters_is_shown_escaped() {
    let ws = hostile();
    ws.index().success();
    let query = format!("abc\u{1b}Xdef \u{7}{OVERRIDE}ghi");
    for color in ["always", "never"] {
        let out = stdout_of(&ws, &["--color", color, "analyze", "--query", &query]);
        assert!(is_clean(&out), "{color}: {out:?}");
        let first = out.lines().next().unwrap();
        assert!(
            first.contains("abc\\u{1b}Xdef \\u{7}\\u{202e}ghi"),
            "{color}: {first:?}"
        );
    }
}

#[test]
fn csv_cells_are_cleaned_and_formulas_defused() {
    let ws = hostile();
    ws.write(
        "formula.json",
        r#"{"id": "=1+1", "title": "=HYPERLINK(\"http://evil.test\",\"اضغط\")", "body": "formula body", "source": "@SUM(A1)", "url": "-2+3"}"#,
    );
    ws.index().success();
    let out = stdout_of(&ws, &["search", "--format", "csv", "body"]);
    assert!(is_clean(&out), "{out:?}");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let formula = rows.iter().find(|r| &r[6] == "'@SUM(A1)").unwrap();
    assert_eq!(&formula[2], "'=1+1");
    assert!(formula[4].starts_with("'=HYPERLINK("));
    assert_eq!(&formula[8], "'-2+3");
    let hostile = rows.iter().find(|r| r[2].starts_with("id")).unwrap();
    assert_eq!(&hostile[8], "https://x.test/\\u{1b}]0;pwned\\u{7}\\u{202e}");
}

#[test]
fn json_output_stays_exact() {
    let ws = hostile();
    ws.index().success();
    // Exact values, yet no character that a terminal would act on is written raw: `cat` of
    // the JSON is safe (U+009B, a C1 control, is a terminal's one-byte CSI).
    let c1 = serde_json::json!({"title": "خبر", "body": "body", "source": "c1\u{9b}31m"});
    ws.write("c1.jsonl", &format!("{c1}\n"));
    ws.index().success();
    let raw = stdout_of(&ws, &["search", "--json", "body"]);
    assert!(
        !raw.contains(|c: char| rasd::clean::is_unsafe(c) && c != '\n'),
        "{raw}"
    );
    assert!(raw.contains("\\u009b") && raw.contains("\\u202e"), "{raw}");
    let hits = ws.search("more");
    assert_eq!(
        hits[0]["source"].as_str().unwrap(),
        format!("source{OSC_TITLE}{OVERRIDE}")
    );
    assert_eq!(
        hits[0]["url"].as_str().unwrap(),
        format!("https://x.test/{OSC_TITLE}{OVERRIDE}")
    );
}

#[test]
fn a_newline_in_a_file_name_cannot_forge_a_message() {
    let ws = Workspace::new();
    ws.write("a\nrasd: error: fake.txt", "");
    ws.write("ok.txt", "title\n\nbody\n");
    let index = ws.index().success();
    let stderr = String::from_utf8_lossy(&index.get_output().stderr).to_string();
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("rasd: ") || l.starts_with("indexed in")),
        "{stderr}"
    );
    assert!(
        stderr.contains("a\\nrasd: error: fake.txt: empty file"),
        "{stderr}"
    );
}

#[test]
fn fatal_errors_are_one_clean_line() {
    let ws = Workspace::new();
    let output = ws
        .rasd()
        .args(["index", &format!("missing\n{OSC_TITLE}")])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        is_clean(&stderr) && stderr.contains("missing\\n\\u{1b}]0;pwned"),
        "{stderr}"
    );
}

#[test]
fn a_megabyte_title_is_shown_cut() {
    let ws = Workspace::new();
    let title = "عنوان ".repeat(200_000);
    ws.write("long.txt", &format!("{title}\n\nnormal body\n"));
    ws.index().success();
    let out = stdout_of(&ws, &["search", "normal"]);
    let title_line = out.lines().next().unwrap();
    assert!(title_line.chars().count() < 400, "{}", title_line.len());
    assert!(title_line.ends_with('…'));
}

#[test]
fn utf8_with_one_bad_byte_is_utf8_and_searchable() {
    let ws = Workspace::new();
    let mut bytes = "عنوان الخبر\n\nتفكيك خلية إرهابية في الدار البيضاء\n"
        .as_bytes()
        .to_vec();
    bytes.insert(10, 0xFF);
    std::fs::create_dir_all(ws.archive()).unwrap();
    std::fs::write(ws.archive().join("bad.txt"), bytes).unwrap();
    let index = ws.index().success();
    let stderr = String::from_utf8_lossy(&index.get_output().stderr).to_string();
    assert!(
        stderr.contains("1 bytes are not valid UTF-8 and were replaced by U+FFFD"),
        "{stderr}"
    );
    assert_eq!(ws.ids("البيضاء"), vec!["bad.txt"]);
}

#[cfg(unix)]
#[test]
fn names_differing_only_in_invalid_bytes_are_two_articles() {
    use std::os::unix::ffi::OsStrExt;
    let ws = Workspace::new();
    std::fs::create_dir_all(ws.archive()).unwrap();
    for (name, word) in [(b"n\xff.txt".as_slice(), "alpha"), (b"n\xfe.txt", "beta")] {
        let path = ws.archive().join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(path, format!("{word}\n\n{word} body\n")).unwrap();
    }
    ws.index().success();
    assert_eq!(ws.ids("alpha"), vec!["n\\xff.txt"]);
    assert_eq!(ws.ids("beta"), vec!["n\\xfe.txt"]);
    let again = ws.index().success();
    let stderr = String::from_utf8_lossy(&again.get_output().stderr).to_string();
    assert!(stderr.contains("0 added, 0 updated"), "{stderr}");
}

#[test]
fn a_huge_record_is_cut_with_a_warning() {
    let ws = Workspace::new();
    let body = "كلمة ".repeat(150_000);
    let record = serde_json::json!({ "title": "كبير", "body": body });
    ws.write("big.jsonl", &format!("{record}\n"));
    let index = ws
        .rasd()
        .args(["index", "--max-article-size", "1"])
        .arg(ws.archive())
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&index.get_output().stderr).to_string();
    assert!(
        stderr.contains("big.jsonl:1: article text truncated to 1.0 MB (was 1.4 MB)"),
        "{stderr}"
    );
    assert_eq!(ws.ids("كبير"), vec!["big.jsonl#1"]);
}

/// Raising `--max-article-size`, as the warning advises, brings the whole article in at the
/// next run, though the file has not changed; the same limit, or a smaller one, reads nothing.
#[test]
fn a_cut_article_is_read_whole_once_the_limit_is_raised() {
    let ws = Workspace::new();
    let body = format!("{} خاتمة", "كلمة ".repeat(150_000));
    let record = serde_json::json!({ "title": "كبير", "body": body });
    ws.write("big.jsonl", &format!("{record}\n"));
    ws.write("small.txt", "قصير\n\nنص قصير\n");
    let index = |limit: &str| {
        let run = ws
            .rasd()
            .args(["index", "--max-article-size", limit])
            .arg(ws.archive())
            .assert()
            .success();
        String::from_utf8_lossy(&run.get_output().stderr).to_string()
    };
    let first = index("1");
    assert!(first.contains("article text truncated"), "{first}");
    // The end of the article was cut.
    assert!(ws.ids("خاتمة").is_empty());
    for limit in ["1", "1"] {
        let again = index(limit);
        assert!(again.contains("0 added, 0 updated"), "{again}");
    }
    let raised = index("2");
    assert!(raised.contains("0 added, 1 updated"), "{raised}");
    assert!(!raised.contains("truncated"), "{raised}");
    assert_eq!(ws.ids("خاتمة"), vec!["big.jsonl#1"]);
    // Whole now: neither the same limit nor a smaller one reads it again.
    for limit in ["2", "1"] {
        let again = index(limit);
        assert!(again.contains("0 added, 0 updated"), "{again}");
    }
    assert_eq!(ws.ids("خاتمة"), vec!["big.jsonl#1"]);
    // Touched, it is read again at the smaller limit, but the index keeps it whole: no
    // warning says it was cut.
    common::touch(&ws.archive().join("big.jsonl"));
    let touched = index("1");
    assert!(touched.contains("0 added, 0 updated"), "{touched}");
    assert!(!touched.contains("truncated"), "{touched}");
    assert_eq!(ws.ids("خاتمة"), vec!["big.jsonl#1"]);
}
