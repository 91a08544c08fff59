//! End-to-end tests of the query language as people first write it (issue 13): a query that
//! starts with `-`, `word~N` and `word*`, syntax errors, `field:*`, stop words, languages by
//! name, an author by one name, and paths as the output prints them.

mod common;

use common::Workspace;
use predicates::prelude::*;

/// Four articles: two Arabic ones about smuggling (one about drugs), a French one, a Spanish
/// one; with authors.
fn archive() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "ar/drugs.md",
        "---\nid: a1\nlang: ar\nauthor: لينا حداد\n---\n# تهريب المخدرات عبر الحدود\n\n\
         أحبطت السلطات محاولة تهريب المخدرات وفككت خلية من خمسة عناصر.\n",
    );
    ws.write(
        "ar/arms.md",
        "---\nid: a2\nlang: ar\nauthor: كريم بن علي\n---\n# تهريب الأسلحة\n\n\
         تفكيك شبكة لتهريب الأسلحة في الجنوب.\n",
    );
    ws.write(
        "fr/maroc.md",
        "---\nid: f1\nlang: fr\nauthor: Lina Haddad\n---\n# Le Maroc démantèle une cellule\n\n\
         Les services marocains ont arrêté Mukhtar, selon la police.\n",
    );
    ws.write(
        "es/cel.md",
        "---\nid: e1\nlang: es\n---\n# Célula desarticulada\n\nLa policía detuvo a Moukhtar.\n",
    );
    ws.index().success();
    ws
}

fn error_of(ws: &Workspace, args: &[&str]) -> String {
    command_error(ws, &[&["search"], args].concat())
}

/// The one-line error of the rasd command `args` (exit status 2, nothing on stdout).
fn command_error(ws: &Workspace, args: &[&str]) -> String {
    let output = ws.rasd().args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("rasd: error: "), "{stderr}");
    stderr
}

#[test]
fn a_query_may_start_with_an_exclusion() {
    let ws = archive();
    // Two words on the command line, the first an exclusion.
    ws.rasd()
        .args(["search", "--all", "-المخدرات", "تهريب"])
        .assert()
        .success()
        .stdout(predicate::str::contains("تهريب الأسلحة"))
        .stdout(predicate::str::contains("عبر الحدود").not());
    // Options still work before and after it, and `--` still ends them.
    let ids = |args: &[&str]| {
        let output = ws.rasd().args(args).output().unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap().lines().count()
    };
    assert_eq!(
        ids(&["search", "--json", "-المخدرات", "تهريب", "-n", "5"]),
        1
    );
    assert_eq!(ids(&["search", "--json", "--", "-المخدرات", "تهريب"]), 1);
    assert_eq!(ids(&["search", "-n", "5", "--json", "-المخدرات تهريب"]), 1);
    // A limit written against its flag is still the limit, not the query "not n1".
    assert_eq!(ids(&["search", "--json", "تهريب"]), 2);
    for limit in ["-n1", "-n=1"] {
        assert_eq!(ids(&["search", limit, "--json", "تهريب"]), 1);
        assert_eq!(ids(&["search", limit, "--json", "-المخدرات", "تهريب"]), 1);
    }
    // A misspelled long option is an error, not a query; so is a short option mistyped
    // (`-N` for `-n`), not the exclusion of a lone letter, which after `--` it is.
    for option in ["--lmit", "-N"] {
        let stderr = error_of(&ws, &[option, "5", "تهريب"]);
        assert!(
            stderr.contains(&format!("unknown option '{option}'")),
            "{stderr}"
        );
        assert!(stderr.contains("Usage: rasd search"), "{stderr}");
    }
    assert_eq!(ids(&["search", "--json", "--", "-N", "تهريب"]), 2);
    // After `--`, a word that starts with `--` is the query too, for the query's parser.
    let output = ws
        .rasd()
        .args(["search", "--", "--lmit تهريب"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("rasd: error: invalid query"), "{stderr}");
    // An exclusion after the first word, unquoted, is read by clap as short options: the
    // error names the word and says how to write it.
    let output = ws
        .rasd()
        .args(["search", "تهريب", "-المخدرات"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("rasd: error: `-المخدرات` is read as an option: quote the whole query"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // A leading exclusion is fine: the error names the option clap refused, not it.
    let output = ws
        .rasd()
        .args(["search", "-économie", "تهريب", "--foo"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("'--foo'"), "{stderr}");
    assert!(!stderr.contains("-économie"), "{stderr}");
}

/// An option's bad value is one clean line, as every other error: clap's own message spans
/// several lines and quotes the value as typed, so a value carrying a terminal's escape
/// sequence would reach the terminal.
#[test]
fn a_bad_option_value_is_one_clean_line() {
    let ws = archive();
    for args in [
        vec!["search", "--sort", "\u{1b}]0;PWNED\u{7}\u{202e}x", "تهريب"],
        vec!["search", "-n", "1000001", "تهريب"],
        vec!["similar", "-n", "18446744073709551615", "a1"],
        vec!["search"],
        vec!["serch", "x"],
    ] {
        let output = ws.rasd().args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("rasd: error: "), "{args:?}: {stderr}");
        assert!(
            !stderr.contains(['\u{1b}', '\u{7}', '\u{202e}']),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn fuzzy_words_in_any_script_and_edits_out_of_range() {
    let ws = archive();
    // خليه is a misspelling of خلية (the normalizer keeps ه and ة apart): one edit.
    assert_eq!(ws.ids("خليه~1"), ["a1"]);
    assert_eq!(ws.ids("Mokhtar~2"), ["e1", "f1"]);
    let message = error_of(&ws, &["Mokhtar~3"]);
    assert!(message.contains("`Mokhtar~3`"), "{message}");
    assert!(message.contains("allows 0 to 2"), "{message}");
    // Each looks its variants up in every term dictionary: a query holds a bounded number.
    let words = |n: usize| (0..n).map(|i| format!("word{i}~2")).collect::<Vec<_>>();
    let message = error_of(&ws, &[&words(21).join(" OR ")]);
    assert!(message.contains("at most 20"), "{message}");
    let output = ws.rasd().arg("search").arg(words(20).join(" OR ")).output();
    assert_eq!(output.unwrap().status.code(), Some(1));
}

/// A `~N` typed after a space belongs to the phrase or word before it: searched alone, it was
/// a word `2` that every article had to have, and the query found nothing.
#[test]
fn a_slop_or_edits_typed_after_a_space_belong_to_what_stands_before() {
    let ws = archive();
    // One word stands between محاولة and المخدرات in a1's body.
    assert!(ws.ids("\"محاولة المخدرات\"").is_empty());
    assert_eq!(ws.ids("\"محاولة المخدرات\"~2"), ["a1"]);
    assert_eq!(ws.ids("\"محاولة المخدرات\" ~2"), ["a1"]);
    assert_eq!(ws.ids("\"محاولة المخدرات\"   ~2 خلية"), ["a1"]);
    assert_eq!(ws.ids("Mokhtar ~2"), ws.ids("Mokhtar~2"));
    // Quoted, it is text as any other.
    assert!(ws.ids("\"تهريب ~2\"").is_empty());
    for query in ["~2", "تهريب AND ~2", "(~1 تهريب)"] {
        let message = error_of(&ws, &[query]);
        assert!(message.contains("stands alone"), "{query}: {message}");
        assert!(message.contains("right after a quoted phrase"), "{message}");
    }
}

#[test]
fn prefixes_find_the_words_that_start_with_them() {
    let ws = archive();
    assert_eq!(ws.ids("Maro*"), ["f1"]);
    assert_eq!(ws.ids("تهري*"), ["a1", "a2"]);
    assert_eq!(ws.ids("تهري* -المخدرا*"), ["a2"]);
    assert_eq!(ws.ids("author:hadd*"), ["f1"]);
    let message = error_of(&ws, &["ma*"]);
    assert!(
        message.contains("`ma*`: a prefix needs at least 3 letters"),
        "{message}"
    );
}

#[test]
fn syntax_errors_point_at_a_character_of_the_query() {
    let ws = archive();
    let message = error_of(&ws, &["title:(خلية \"مكافحة) الإرهاب"]);
    assert_eq!(
        message.trim_end(),
        "rasd: error: invalid query: the quote `\"` is never closed (character 13): \
         title:(خلية ‸\"مكافحة) الإرهاب"
    );
    let message = error_of(&ws, &["(Maroc OR police"]);
    // The bracket left open is shown, not the end where the parser noticed it.
    assert!(message.contains("this `(` is never closed"), "{message}");
    assert!(message.contains("(character 1)"), "{message}");
}

#[test]
fn errors_of_fields_read_as_rasd_s_own() {
    let ws = archive();
    let message = error_of(&ws, &["url:*"]);
    assert!(
        message.contains("`url:*` (any value) works only for the fields date, source, lang, tags"),
        "{message}"
    );
    let message = error_of(&ws, &["nofield:x"]);
    assert!(message.contains("unknown field `nofield:`"), "{message}");
    for message in [&error_of(&ws, &["url:*"]), &error_of(&ws, &["nofield:x"])] {
        assert!(!message.contains("Schema error"), "{message}");
        assert!(!message.contains("tantivy"), "{message}");
    }
    // `field:*` still works where it can.
    assert_eq!(ws.ids("lang:*").len(), 4);
}

#[test]
fn a_query_of_stop_words_says_why_it_finds_nothing() {
    let ws = archive();
    let output = ws.rasd().args(["search", "في"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("`في` is a stop word: rasd indexes no stop words"),
        "{stderr}"
    );
    // A quoted phrase of stop words alone is one of them, said as such.
    let output = ws.rasd().args(["search", "\"في من\""]).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("`في من` has only stop words: rasd indexes no stop words"),
        "{stderr}"
    );
    // JSON on stdout stays JSON: no hits, no note.
    let output = ws.rasd().args(["search", "--json", "في"]).output().unwrap();
    assert!(output.stdout.is_empty());
    assert!(!output.stderr.is_empty());
    // A stop word beside real words needs no note.
    let output = ws.rasd().args(["search", "في", "تهريب"]).output().unwrap();
    assert!(output.stderr.is_empty(), "{output:?}");
    // A word too long to be indexed is no stop word: the note says what it is, cut short.
    let long = "تهريب".repeat(40);
    let output = ws.rasd().args(["search", &long]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("is longer than 64 characters: rasd indexes no word so long"),
        "{stderr}"
    );
    assert!(!stderr.contains("stop word"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.chars().count() < 200, "{stderr}");
    // Beside other words, it is left out, and said so: the hits are those of the others.
    for query in [format!("تهريب {long}"), format!("تهريب OR {long}")] {
        let output = ws.rasd().args(["search", &query]).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains("is longer than 64 characters"), "{stderr}");
    }
    // Any number of them, boosted, exact or required, is the same: no hit and the note, not
    // an error about excluded words; and their proclitic forms are not searched (`والتي`).
    for query in ["في من", "التي", "exact:في", "+في +من", "في^2"] {
        let output = ws.rasd().args(["search", query]).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{query}: {output:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains("rasd indexes no stop words"),
            "{query}: {stderr}"
        );
    }
    let output = ws.rasd().args(["search", "ـــــ"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    // Beside a word, a boosted stop word is left out as a plain one is.
    assert_eq!(ws.ids("تهريب في^2"), ws.ids("تهريب"));
    // `rasd analyze --query` agrees: no error for them; a prefix of no letter stays one.
    let output = ws.rasd().args(["analyze", "--query", "في من"]).output();
    assert_eq!(output.unwrap().status.code(), Some(0));
    for command in ["search", "analyze"] {
        let flag = if command == "analyze" {
            "--query"
        } else {
            "--all"
        };
        let stderr = command_error(&ws, &[command, flag, "تهريب ,*"]);
        assert!(
            stderr.contains("a prefix needs at least 3 letters"),
            "{stderr}"
        );
    }
}

/// Words joined by `OR` among other words are one group that the article needs: a word typed
/// twice in a group, or two words that make a term of the glossary, change nothing of that.
#[test]
fn alternatives_among_words_are_one_required_group() {
    let ws = archive();
    // a2 has تهريب but neither خلية nor المخدرات.
    for query in [
        "تهريب خلية OR المخدرات",
        "تهريب (خلية OR المخدرات)",
        "خلية OR المخدرات تهريب",
        "+تهريب خلية OR المخدرات",
    ] {
        assert_eq!(ws.ids(query), ["a1"], "{query}");
    }
    assert_eq!(ws.ids("تهريب (خلية OR خلية)"), ws.ids("تهريب خلية"));
    // Beside an `AND` chain, or another run of alternatives, a run stays a group of its own:
    // the grammar read `lang:es AND policía تهريب OR خلية` as `(lang:es AND policía) OR
    // تهريب OR خلية`, and the two runs below as one.
    assert!(ws.ids("lang:es AND policía تهريب OR خلية").is_empty());
    assert_eq!(ws.ids("lang:es AND policía"), ["e1"]);
    assert!(
        ws.ids("تهريب المخدرات OR الأسلحة lang:es OR lang:fr")
            .is_empty()
    );
    assert_eq!(
        ws.ids("تهريب المخدرات OR الأسلحة lang:ar OR lang:fr"),
        ["a1", "a2"]
    );
    // Nor do partial matches loosen an exclusion in an `AND` chain: a1 has المخدرات.
    let page: Vec<String> = ws
        .search_with(&["--no-collapse"], "تهريب خلية AND NOT المخدرات")
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!page.contains(&"a1".to_string()), "{page:?}");
    // تهريب المخدرات is a term of the glossary: typed with `OR`, the two words stay apart.
    assert_eq!(ws.ids("تهريب OR المخدرات"), ["a1", "a2"]);
    assert_eq!(ws.ids("الأسلحة (تهريب OR المخدرات)"), ["a2"]);
}

/// Operators and signs as a search box reads them: Lucene's `||`, full-width letters and
/// brackets, an operator at the end of a line, and the invisible direction marks that text
/// copied from a right-to-left page puts around words.
#[test]
fn operators_and_signs_are_read_whatever_surrounds_them() {
    let ws = archive();
    let either = ws.ids("خلية OR الأسلحة");
    assert_eq!(either, ["a1", "a2"]);
    for query in [
        "خلية || الأسلحة",
        "خلية ＯＲ الأسلحة",
        "خلية OR\nالأسلحة",
        "خلية \u{200F}OR\u{200F} الأسلحة",
    ] {
        assert_eq!(ws.ids(query), either, "{query:?}");
    }
    assert_eq!(ws.ids("تهريب \u{200F}-المخدرات"), ["a2"]);
    // A byte-order mark or a joiner before a sign or an operator hides it no more.
    assert_eq!(ws.ids("تهريب \u{FEFF}-المخدرات"), ["a2"]);
    assert_eq!(ws.ids("تهريب \u{200C}NOT المخدرات"), ["a2"]);
    // A zero-width space after a sign, where it shows as `-المخدرات`, leaves the sign its word
    // (it was a space there, and the sign acted on nothing); elsewhere it still parts words.
    assert_eq!(ws.ids("تهريب -\u{200B}المخدرات"), ["a2"]);
    assert_eq!(ws.ids("تهريب +\u{200B}المخدرات"), ws.ids("تهريب +المخدرات"));
    assert_eq!(ws.ids("(تهريب -\u{200B}\u{200B}المخدرات)"), ["a2"]);
    assert_eq!(ws.ids("تهريب && خلية"), ["a1"]);
    // Full-width brackets group as ASCII ones do.
    assert_eq!(
        ws.ids("الأسلحة （تهريب ＯＲ المخدرات）"),
        ws.ids("الأسلحة (تهريب OR المخدرات)")
    );
}

/// A stop word among alternatives is left out of them, as a stop word among words is: it
/// would make the group find nearly every article in its language, or, in no view, none.
#[test]
fn stop_words_among_alternatives_are_left_out() {
    let ws = archive();
    assert_eq!(ws.ids("تهريب (في OR من)"), ws.ids("تهريب"));
    assert_eq!(ws.ids("تهريب (في OR من)^2"), ws.ids("تهريب"));
    // With an exclusion among them, the exclusion is what is left.
    assert_eq!(ws.ids("تهريب (في OR -المخدرات)"), ["a2"]);
    assert_eq!(ws.ids("تهريب AND خلية في OR -الأسلحة"), ["a1"]);
    assert_eq!(ws.ids("تهريب (في OR خلية)"), ws.ids("تهريب خلية"));
    assert_eq!(ws.ids("police (de OR la)"), ws.ids("police"));
    assert_eq!(ws.ids("police (de OR Mukhtar)"), ws.ids("police Mukhtar"));
    // Alone, they are searched, as a stop word alone is.
    assert_eq!(ws.ids("police (les OR la)"), ws.ids("police"));
    assert_eq!(ws.ids("(les OR la)"), ["e1", "f1"]);
}

/// A group of words loses its stop words as the query does, and is left out when it has
/// nothing else: `(في من)` made tantivy refuse the whole query as one of "only excluded words".
#[test]
fn stop_words_in_groups_are_left_out() {
    let ws = archive();
    let alone = ws.ids("تهريب");
    assert!(!alone.is_empty());
    for query in [
        "تهريب (في من)",
        "تهريب (في (من))",
        "تهريب (في (من OR على))",
        "تهريب -(في من)",
        "تهريب ((في من) OR (من في))",
        "title:(في من) تهريب",
        "تهريب (في من)^2",
    ] {
        assert_eq!(ws.ids(query), alone, "{query}");
    }
    assert_eq!(ws.ids("تهريب (في خلية)"), ws.ids("تهريب خلية"));
    assert_eq!(ws.ids("تهريب ((في من) OR خلية)"), ws.ids("تهريب خلية"));
    assert_eq!(ws.ids("تهريب -(في المخدرات)"), ws.ids("تهريب -المخدرات"));
    // So are the query's own stop words, which the views that keep every word index.
    let scored = |query: &str| -> Vec<(String, String)> {
        let hits = ws.search_with(&["--all", "--no-collapse"], query);
        let scored = hits
            .iter()
            .map(|h| (h["id"].to_string(), h["score"].to_string()));
        scored.collect()
    };
    assert!(!scored("Mukhtar services").is_empty());
    assert_eq!(scored("Mukhtar (la services)"), scored("Mukhtar services"));
    assert_eq!(
        scored("Mukhtar (la services)"),
        scored("Mukhtar la services")
    );
    // A group of nothing else is left out with them; alone, they are searched.
    assert_eq!(scored("Mukhtar (les la)"), scored("Mukhtar"));
    assert_eq!(scored("Mukhtar -(les la)"), scored("Mukhtar"));
    assert_eq!(ws.ids("(les la)"), ws.ids("les la"));
    assert!(!ws.ids("(les la)").is_empty());
    // Alone, a field's stop words say so, as the plain ones do.
    let output = ws
        .rasd()
        .args(["search", "title:(في من)"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("`في`, `من` are stop words"), "{stderr}");
}

/// A quoted word means that word: not the other words of its root, which an unquoted word
/// also finds (ranked below, as no match alone).
#[test]
fn a_quoted_word_takes_no_words_of_its_root() {
    let ws = Workspace::new();
    ws.write(
        "kidnapping.md",
        "---\nid: k1\nlang: ar\n---\n# اختطاف مهندسين\n\nنفذ مسلحون عملية اختطاف في الجنوب.\n",
    );
    ws.write(
        "kidnapper.md",
        "---\nid: k2\nlang: ar\n---\n# توقيف مختطف\n\nأوقفت الشرطة مختطف الطفل.\n",
    );
    ws.index().success();
    let ranked = |query: &str| -> Vec<String> {
        ws.search_with(&[], query)
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    };
    // Unquoted, the kidnapper also brings the kidnapping, after the match.
    assert_eq!(ranked("مختطف"), ["k2", "k1"]);
    assert_eq!(ranked("\"مختطف\""), ["k2"]);
}

/// `NOT word^2` boosts an exclusion, which scores nothing: it excludes, as `-word^2` does.
#[test]
fn a_boosted_exclusion_excludes() {
    let ws = archive();
    for query in ["تهريب NOT المخدرات^2", "تهريب AND NOT المخدرات^2"] {
        assert_eq!(ws.ids(query), ws.ids("تهريب -المخدرات"), "{query}");
    }
}

#[test]
fn an_arabic_particle_the_index_keeps_is_not_required_in_a_query() {
    let ws = Workspace::new();
    ws.write(
        "ransomware.md",
        "---\nid: r1\nlang: ar\n---\n# هجوم إلكتروني يشل مستشفى جامعياً\n\n\
         تعرض المستشفى الجامعي لهجوم إلكتروني أوقف أنظمته.\n",
    );
    ws.write(
        "ali.md",
        "---\nid: n1\nlang: ar\n---\n# تكريم الطبيب علي بن سالم\n\n\
         كرم المستشفى الطبيب علي بن سالم على مسيرته.\n",
    );
    ws.index().success();
    let ids = |query: &str| -> Vec<String> {
        ws.search_with(&["--all"], query)
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    };
    // `على` typed between words is the preposition: the article without it has every word.
    assert_eq!(ids("هجوم على مستشفى"), ["r1"]);
    assert_eq!(ids("هجوم عَلَى مستشفى"), ["r1"]);
    // The name علي stays a word of the query, as does على quoted or marked.
    assert_eq!(ids("الطبيب علي"), ["n1"]);
    assert_eq!(ids("مستشفى +على"), ["n1"]);
    assert!(ids("\"هجوم على\"").is_empty());
    // `analyze --query` says it is left out.
    let output = ws
        .rasd()
        .args(["analyze", "--query", "هجوم على مستشفى"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("على  (left out: a stop word of the query)"),
        "{text}"
    );
    assert!(!text.contains("مستشفى  (left out"), "{text}");
}

#[test]
fn languages_by_name_and_unknown_ones_refused() {
    let ws = archive();
    let langs = |lang: &str| {
        let mut ids: Vec<String> = ws
            .search_with(&["--lang", lang], "*")
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(langs("arabic"), ["a1", "a2"]);
    assert_eq!(langs("العربية"), ["a1", "a2"]);
    assert_eq!(langs("français"), ["f1"]);
    assert_eq!(langs("es"), ["e1"]);
    assert_eq!(ws.ids("lang:french Maroc"), ["f1"]);
    let message = error_of(&ws, &["--lang", "de", "*"]);
    assert!(message.contains("unknown language `de`"), "{message}");
    assert!(message.contains("use ar, fr or en"), "{message}");
    assert!(message.contains("this index also has es"), "{message}");
    let message = error_of(&ws, &["lang:deutsch *"]);
    assert!(
        message.contains("`lang:deutsch`: unknown language"),
        "{message}"
    );
}

#[test]
fn an_author_is_found_by_one_name() {
    let ws = archive();
    assert_eq!(ws.ids("author:حداد"), ["a1"]);
    assert_eq!(ws.ids("author:Haddad"), ["f1"]);
    assert_eq!(ws.ids("author:\"Lina Haddad\""), ["f1"]);
    assert_eq!(ws.ids("author:\"لينا حداد\""), ["a1"]);
    assert_eq!(ws.ids("author:\"Haddad Lina\"").len(), 0);
}

#[test]
fn paths_as_the_output_prints_them() {
    let ws = archive();
    // The workspace's folder is the current one: the output prints archive/ar/drugs.md.
    ws.rasd()
        .args(["search", "--all", "المخدرات"])
        .assert()
        .stdout(predicate::str::contains("archive/ar/drugs.md"));
    for path in [
        "archive/ar/drugs.md",
        "./archive/ar/drugs.md",
        "ar/drugs.md",
        "drugs.md",
    ] {
        assert_eq!(ws.ids(&format!("path:{path}")), ["a1"], "{path}");
    }
    let absolute = ws.archive().join("ar/drugs.md");
    assert_eq!(ws.ids(&format!("path:\"{}\"", absolute.display())), ["a1"]);
    // Only whole names: `rugs.md` is no file's name.
    assert!(ws.ids("path:rugs.md").is_empty());
}

/// A query pasted from a web page or a document, with a no-break space, NEL, a line
/// separator, an ideographic or a zero-width space between its words,
/// searches what the same query with plain spaces does: such spaces made it unreadable.
#[test]
fn unicode_spaces_in_a_query_are_spaces() {
    let ws = archive();
    let ids = |query: &str| -> Vec<String> {
        let mut ids: Vec<String> = ws
            .search(query)
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    for plain in ["تهريب المخدرات", "\"تهريب المخدرات\"", "تهريب -المخدرات"]
    {
        let expected = ids(plain);
        assert!(!expected.is_empty(), "{plain}");
        for space in ['\u{a0}', '\u{85}', '\u{2028}', '\u{3000}', '\u{200b}'] {
            let pasted = plain.replace(' ', &space.to_string());
            assert_eq!(ids(&pasted), expected, "{plain} with {space:?}");
        }
    }
}

/// An article whose words a zero-width space separates (web pages insert them as break
/// hints) is found by each word and by the phrase, as the query with that space is: the
/// space used to join the two words into one term no query could find.
#[test]
fn a_zero_width_space_in_an_article_separates_words() {
    let ws = Workspace::new();
    ws.write(
        "zwsp.txt",
        "ضبط شحنة\n\nأحبطت الجمارك محاولة تهريب\u{200b}المخدرات عبر الميناء.\n",
    );
    ws.index().success();
    for query in [
        "المخدرات",
        "تهريب",
        "\"تهريب المخدرات\"",
        "تهريب\u{200b}المخدرات",
    ] {
        assert_eq!(ws.ids(query), ["zwsp.txt"], "{query}");
    }
}
