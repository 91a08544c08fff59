//! Dates, queries and options that used to crash rasd (issue 10, points 3 and 4): each is now
//! a warning or a one-line error with exit status 2.

mod common;

use common::Workspace;

/// Asserts that `args` fail with exit status 2 and an error whose first line contains
/// `expected` (clap adds a hint line after its own errors; rasd's are one line).
fn fails_with(ws: &Workspace, args: &[&str], expected: &str) {
    let output = ws.rasd().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    let first = stderr.lines().next().unwrap_or_default();
    assert!(first.contains(expected), "{args:?}: {stderr}");
    if first.starts_with("rasd: error:") {
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    }
}

fn indexed() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "feed.jsonl",
        concat!(
            "{\"id\":\"far\",\"title\":\"t\",\"body\":\"b\",\"date\":\"9999-12-31T23:00:00-02:00\"}\n",
            "{\"id\":\"old\",\"title\":\"t\",\"body\":\"b\",\"date\":\"1600-01-01\"}\n",
            "{\"id\":\"now\",\"title\":\"t\",\"body\":\"b\",\"date\":\"2024-03-12\"}\n",
        ),
    );
    ws
}

#[test]
fn article_dates_out_of_range_are_warnings_and_every_run_succeeds() {
    let ws = indexed();
    let first = ws.index().success();
    let stderr = String::from_utf8_lossy(&first.get_output().stderr).to_string();
    assert!(
        stderr.contains("date `9999-12-31T23:00:00-02:00` is outside the supported range 1677-09-21 to 2262-04-11; indexed without a date"),
        "{stderr}"
    );
    assert!(stderr.contains("date `1600-01-01` is outside"), "{stderr}");
    ws.index().success();
    assert_eq!(ws.ids("t"), ["far", "now", "old"]);
    let dates: Vec<_> = ws.search("t").iter().map(|h| h["date"].clone()).collect();
    assert_eq!(dates.iter().filter(|d| d.is_null()).count(), 2);
}

#[test]
fn far_dates_in_queries_and_filters_are_one_line_errors() {
    let ws = indexed();
    ws.index().success();
    let outside = "is outside the range rasd can search (1677-09-21 to 2262-04-11)";
    for args in [
        &["search", "date:9999-12-31"][..],
        &["search", "date:0000-01-01T00:00:00+01:00"],
        &["search", "--since", "9999-12-31", "t"],
        &["search", "--until", "9999-12-31", "t"],
        &["search", "--since", "9999-12-31T23:00:00-02:00", "t"],
        &["search", "--until", "1600", "t"],
    ] {
        fails_with(&ws, args, outside);
    }
    // A period that overlaps the range is cut to it.
    assert_eq!(ws.ids("t date:[1677 TO 2262]"), ["now"]);
    // A range that ends before it starts: nothing can match, said so.
    fails_with(
        &ws,
        &["search", "--since", "2024", "--until", "2020", "t"],
        "rasd: error: --since `2024` is after --until `2020`",
    );
    fails_with(
        &ws,
        &[
            "search",
            "--since",
            " \u{200F}2024",
            "--until",
            "2020 ",
            "t",
        ],
        "rasd: error: --since `2024` is after --until `2020`",
    );
    fails_with(
        &ws,
        &["search", "t date:[2024 TO 2020]"],
        "ends before it starts",
    );
}

#[test]
fn a_bound_before_or_after_every_date_leaves_the_range_open() {
    let ws = indexed();
    ws.index().success();
    // Only `now` has a date the index can hold.
    for query in [
        "t date:[1500 TO 2025]",
        "t date:[1677-01 TO 2025]",
        "t date:>=1500",
        "t date:<=3000",
        "t date:[2020 TO 3000]",
    ] {
        assert_eq!(ws.ids(query), ["now"], "{query}");
    }
    for (flag, value) in [("--since", "1600"), ("--until", "3000")] {
        let hits = ws.search_with(&[flag, value], "t");
        let ids: Vec<&str> = hits.iter().map(|h| h["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["now"], "{flag} {value}");
    }
}

#[test]
fn any_date_finds_the_articles_with_a_date() {
    let ws = indexed();
    ws.index().success();
    assert_eq!(ws.ids("date:*"), ["now"]);
    assert_eq!(ws.ids("date:[* TO *]"), ["now"]);
    assert_eq!(ws.ids("t date:*"), ["now"]);
    assert_eq!(ws.ids("t -date:*"), ["far", "old"]);
}

#[test]
fn oversized_queries_are_one_line_errors() {
    let ws = indexed();
    ws.index().success();
    let open = "(".repeat(3_000);
    let balanced = format!("{}t{}", "(".repeat(4_000), ")".repeat(4_000));
    let long = format!("\"{}\"", "word ".repeat(2_500));
    fails_with(&ws, &["search", &open], "more than 100 deep");
    fails_with(&ws, &["search", &balanced], "more than 100 deep");
    fails_with(&ws, &["search", &long], "rasd accepts at most 10000");
    fails_with(&ws, &["analyze", "--query", &open], "more than 100 deep");
}

#[test]
fn out_of_bounds_options_are_usage_errors() {
    let ws = indexed();
    ws.index().success();
    let huge = "9223372036854775807";
    fails_with(&ws, &["search", "-n", huge, "t"], "is not in 0..=1000000");
    fails_with(
        &ws,
        &["search", "--offset", huge, "t"],
        "is not in 0..=1000000",
    );
    let archive = ws.archive();
    let archive = archive.to_str().unwrap();
    for wait in ["1e300", "-1", "NaN", "inf", "soon"] {
        let wait = format!("--wait={wait}");
        fails_with(&ws, &["index", &wait, archive], "--wait");
    }
    for memory in ["0", "99999999999"] {
        fails_with(
            &ws,
            &["index", "--memory", memory, archive],
            "is not in 64..=4000",
        );
    }
}

#[test]
fn extreme_but_valid_options_work() {
    let ws = indexed();
    let archive = ws.archive();
    let archive = archive.to_str().unwrap();
    for args in [
        &["--max-file-size", "18446744073709551615"][..],
        &["--commit-every", "0"],
        &["--commit-every", "18446744073709551615"],
        &["--memory", "64", "--wait", "0.5"],
    ] {
        ws.rasd()
            .arg("index")
            .args(args)
            .arg(archive)
            .assert()
            .success();
    }
    let page = ws
        .rasd()
        .args([
            "search", "--json", "-n", "1000000", "--offset", "1000000", "t",
        ])
        .output()
        .unwrap();
    assert_eq!(page.status.code(), Some(0), "{page:?}");
    assert!(page.stdout.is_empty());
    assert_eq!(ws.ids("t").len(), 3);
}

#[test]
fn a_query_that_only_excludes_says_how_to_search_everything_else() {
    let ws = indexed();
    ws.index().success();
    for query in ["NOT داعش", "-داعش"] {
        ws.rasd()
            .args(["search", "--", query])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("only excluded words"))
            .stderr(predicates::str::contains("`* -word`"));
    }
}

#[test]
fn a_dangling_operator_or_a_word_without_letters_is_said_as_such() {
    let ws = indexed();
    ws.index().success();
    for query in ["+ +", "- -"] {
        fails_with(
            &ws,
            &["search", "--", query],
            "has no word to act on; put words in quotes",
        );
    }
    // An operator is marked where it stands, by the side that has no word.
    for (query, expected) in [
        (
            "AND",
            "has no word before it; put words in quotes to search them as written (character 1): ‸AND",
        ),
        (
            "t OR",
            "has no word after it; put words in quotes to search them as written (character 3): t ‸OR",
        ),
        (
            "t AND OR u",
            "has no word before it; put words in quotes to search them as written (character 7): t AND ‸OR u",
        ),
        ("|| t", "(character 1): ‸|| t"),
    ] {
        fails_with(&ws, &["search", "--", query], expected);
    }
    // Not a stop word: a word of no letter or digit, which no view indexes.
    let output = ws.rasd().args(["search", "--", "~~"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("`~~` is a stop word"), "{stderr}");
    assert!(stderr.contains("`~~` has no letter or digit"), "{stderr}");
}

#[test]
fn a_query_of_stop_words_searches_the_one_an_index_keeps() {
    let ws = Workspace::new();
    ws.write("a.txt", "علي\n\nوصل علي إلى المدينة.\n");
    ws.write("b.txt", "خبر\n\nخبر آخر من المدينة.\n");
    ws.index().success();
    // `على` (normalized `علي`, also the name Ali) is left out of a query with other words to
    // search; `في` and `من` search nothing, so here it is searched, and said nothing of.
    let output = ws.rasd().args(["search", "في من على"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(ws.ids("في من على"), ["a.txt"]);
}

#[test]
fn a_word_excluded_twice_is_said_as_such() {
    let ws = indexed();
    ws.index().success();
    for query in ["t NOT NOT b", "t AND NOT NOT b", "NOT NOT b", "t -(-b)"] {
        fails_with(&ws, &["search", "--", query], "a word is excluded twice");
    }
}

#[test]
fn a_sign_in_the_wrong_place_is_said_in_rasds_words() {
    let ws = indexed();
    ws.index().success();
    for (query, said) in [
        ("AND OR", "an operator (AND, OR) has no word before it"),
        (":t", "a `:` with no field name before it"),
        (
            "t^",
            "a weight `^` needs a word before it and a number after it",
        ),
        ("~t", "`~` goes after the word"),
        (
            "*tt",
            "rasd finds words by their beginning (`word*`), not by their end",
        ),
        (
            "\"C:\\temp\\\"",
            "`\\\"` being a quote inside the phrase (write `\\\\` for a backslash)",
        ),
    ] {
        fails_with(&ws, &["search", "--", query], said);
    }
    // Quoted, the same signs are text: these words, no syntax.
    for query in ["\"~t b\"", "\"t~\"", "\"C:\\\\t\\\\\""] {
        let output = ws.rasd().args(["search", "--", query]).output().unwrap();
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{query}: {output:?}"
        );
    }
}
