//! End-to-end tests of searching like an analyst: filters, sorting, counting, CSV, facets.

mod common;

use common::{Workspace, article, plain};
use predicates::prelude::*;
use serde_json::Value;

/// Six dated articles from three sources in two languages, with tags.
fn archive() -> Workspace {
    let ws = Workspace::new();
    let line = |id: &str, date: &str, source: &str, lang: &str, tags: &str, title: &str| {
        format!(
            "{{\"id\":\"{id}\",\"date\":\"{date}\",\"source\":\"{source}\",\"lang\":\"{lang}\",\"tags\":[{tags}],\"title\":\"{title}\",\"body\":\"{title}\"}}\n"
        )
    };
    let feed = [
        line(
            "a1",
            "2019-03-01",
            "Maghreb Post",
            "ar",
            "\"terrorism\"",
            "تفكيك خلية إرهابية في الرباط",
        ),
        line(
            "a2",
            "2020-07-15",
            "Maghreb Post",
            "ar",
            "\"terrorism\",\"morocco\"",
            "خلية إرهابية جديدة",
        ),
        line(
            "a3",
            "2021-01-10",
            "Sahel Wire",
            "ar",
            "\"drugs\"",
            "خلية لتهريب المخدرات",
        ),
        line(
            "a4",
            "2021-12-31",
            "Sahel Wire",
            "fr",
            "\"terrorism\"",
            "Une cellule terroriste démantelée, dit « خلية »",
        ),
        line(
            "a5",
            "2022-06-01",
            "Gulf Monitor",
            "ar",
            "\"terrorism\"",
            "خلية في البحرين",
        ),
        line(
            "a6",
            "2023-02-02",
            "Gulf Monitor",
            "ar",
            "\"cyber\"",
            "اختراق خلية حواسيب \\\"الوزارة\\\", وتسريب",
        ),
    ]
    .concat();
    ws.write("feed.jsonl", &feed);
    ws.index().success();
    ws
}

/// Ids of the hits of a JSON search with extra arguments, in rank order.
/// The ids of a search's matches, best first (articles like the first hit left out).
fn ids(ws: &Workspace, args: &[&str]) -> Vec<String> {
    let output = ws
        .rasd()
        .args(["search", "--json"])
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["related"] != true)
        .filter_map(|v| v["id"].as_str().map(String::from))
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn filters_alone_and_combined() {
    let ws = archive();
    assert_eq!(sorted(ids(&ws, &["خلية"])).len(), 6);
    assert_eq!(
        sorted(ids(&ws, &["--since", "2021", "خلية"])),
        ["a3", "a4", "a5", "a6"]
    );
    assert_eq!(
        sorted(ids(&ws, &["--until", "2021-01", "خلية"])),
        ["a1", "a2", "a3"]
    );
    // Spaces pasted around a date are no part of it.
    assert_eq!(
        sorted(ids(&ws, &["--since", " 2021\u{3000}", "خلية"])),
        ["a3", "a4", "a5", "a6"]
    );
    // The end day is included whole.
    assert_eq!(
        sorted(ids(
            &ws,
            &["--since", "2021-12-31", "--until", "2021-12-31", "خلية"]
        )),
        ["a4"]
    );
    assert_eq!(
        sorted(ids(&ws, &["--source", "maghreb post", "خلية"])),
        ["a1", "a2"]
    );
    assert_eq!(
        sorted(ids(
            &ws,
            &[
                "--source",
                "Maghreb Post",
                "--source",
                "Gulf Monitor",
                "خلية"
            ]
        )),
        ["a1", "a2", "a5", "a6"]
    );
    assert_eq!(sorted(ids(&ws, &["--lang", "fr", "خلية"])), ["a4"]);
    assert_eq!(
        sorted(ids(
            &ws,
            &[
                "--tag",
                "terrorism",
                "--tag",
                "drugs",
                "--lang",
                "ar",
                "خلية"
            ]
        )),
        ["a1", "a2", "a3", "a5"]
    );
    assert_eq!(
        sorted(ids(
            &ws,
            &[
                "--tag",
                "terrorism",
                "--since",
                "2020",
                "--source",
                "Gulf Monitor",
                "خلية"
            ]
        )),
        ["a5"]
    );
    ws.rasd()
        .args(["search", "--since", "yesterday", "خلية"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--since `yesterday` is not a date",
        ));
}

#[test]
fn sorting_by_date_pages_correctly() {
    let ws = archive();
    let newest = ids(&ws, &["--sort", "date", "-n", "10", "خلية"]);
    assert_eq!(newest, ["a6", "a5", "a4", "a3", "a2", "a1"]);
    let oldest = ids(&ws, &["--sort=-date", "-n", "10", "خلية"]);
    assert_eq!(oldest, ["a1", "a2", "a3", "a4", "a5", "a6"]);
    let mut pages = Vec::new();
    for offset in ["0", "2", "4"] {
        pages.extend(ids(
            &ws,
            &["--sort", "date", "-n", "2", "--offset", offset, "خلية"],
        ));
    }
    assert_eq!(pages, newest);
}

#[test]
fn count_prints_only_the_number() {
    let ws = archive();
    ws.rasd()
        .args(["search", "--count", "--lang", "ar", "خلية"])
        .assert()
        .success()
        .stdout("5\n");
    ws.rasd()
        .args(["search", "--count", "--json", "zzzz"])
        .assert()
        .code(1)
        .stdout("{\"count\":0}\n");
}

#[test]
fn csv_has_a_header_and_quotes_arabic_text() {
    let ws = archive();
    let output = ws
        .rasd()
        .args(["search", "--format", "csv", "اختراق"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
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
            "matched_words",
            "related",
            "by_root",
            "transliterated"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][2], "a6");
    assert_eq!(&rows[0][4], "اختراق خلية حواسيب \"الوزارة\", وتسريب");
    assert!(
        text.contains("\"اختراق خلية حواسيب \"\"الوزارة\"\", وتسريب\""),
        "{text}"
    );
}

#[test]
fn facets_match_a_hand_count() {
    let ws = archive();
    let output = ws
        .rasd()
        .args([
            "search",
            "--json",
            "--count",
            "--facets",
            "source,lang,year,tags",
            "خلية",
        ])
        .output()
        .unwrap();
    let lines: Vec<Value> = common::json_lines(&output.stdout);
    assert_eq!(lines[0]["count"], 6);
    let facets = &lines[1]["facets"];
    let pairs = |name: &str| -> Vec<(String, u64)> {
        facets[name]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_u64().unwrap()))
            .collect()
    };
    let expect = |list: &[(&str, u64)]| -> Vec<(String, u64)> {
        list.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    };
    assert_eq!(
        pairs("source"),
        expect(&[("Gulf Monitor", 2), ("Maghreb Post", 2), ("Sahel Wire", 2)])
    );
    assert_eq!(pairs("lang"), expect(&[("ar", 5), ("fr", 1)]));
    assert_eq!(
        pairs("year"),
        expect(&[
            ("2021", 2),
            ("2019", 1),
            ("2020", 1),
            ("2022", 1),
            ("2023", 1)
        ])
    );
    assert_eq!(
        pairs("tags"),
        expect(&[("terrorism", 4), ("cyber", 1), ("drugs", 1), ("morocco", 1)])
    );
    // With a filter, the facets count only the filtered articles; in text, after the hits.
    ws.rasd()
        .args(["search", "--lang", "fr", "--facets", "lang,source", "خلية"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "lang: fr 1\nsource: Sahel Wire 1\n",
        ));
    ws.rasd()
        .args(["stats"])
        .assert()
        .stdout(predicate::str::contains(
            "years:      2021 2, 2019 1, 2020 1, 2022 1, 2023 1",
        ));
    ws.rasd()
        .args(["search", "--facets", "colour", "خلية"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown facet `colour`"));
    // CSV rows are hits: facets there would be read as a broken row.
    ws.rasd()
        .args(["search", "--format", "csv", "--facets", "lang", "خلية"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "--facets cannot go with --format csv",
        ));
}

/// A JSON (and CSV) snippet marks where the body goes on with `…`, as the text output does,
/// and its highlights still cover the words.
#[test]
fn a_cut_snippet_says_so_in_json() {
    let ws = Workspace::new();
    let filler = "كلمات عادية في نص طويل ".repeat(40);
    let body = format!("{filler} تفكيك شبكة التهريب الدولية {filler}");
    ws.write("long.txt", &article("خبر", &body));
    ws.index().success();
    let hits = ws.search("التهريب");
    let snippet = hits[0]["snippet"].as_str().unwrap();
    assert!(
        snippet.starts_with('…') && snippet.ends_with('…'),
        "{snippet}"
    );
    let chars: Vec<char> = snippet.chars().collect();
    let [start, end] = [0, 1].map(|i| hits[0]["highlights"][0][i].as_u64().unwrap() as usize);
    assert_eq!(chars[start..end].iter().collect::<String>(), "التهريب");
    let csv = ws
        .rasd()
        .args(["search", "--format", "csv", "التهريب"])
        .output();
    let csv = String::from_utf8(csv.unwrap().stdout).unwrap();
    assert!(
        csv.contains(&format!("\"{snippet}\"")) || csv.contains(snippet),
        "{csv}"
    );
}

/// Years are counted by the calendar however far apart: a daily histogram stopped at 65,000
/// days, so one article of 1800 beside today's broke `stats` and every year facet.
#[test]
fn years_centuries_apart_are_counted() {
    let ws = Workspace::new();
    let line = |id: &str, date: &str| {
        format!(r#"{{"id":"{id}","title":"خبر","body":"تفكيك خلية في المدينة","date":"{date}"}}"#)
    };
    let lines = [
        line("a", "1800-01-01"),
        line("b", "2024-05-01"),
        line("c", "2024-12-31"),
        line("d", "2262-04-10"),
    ];
    ws.write("old.jsonl", &lines.join("\n"));
    ws.index().success();
    ws.rasd()
        .args(["stats"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "years:      2024 2, 1800 1, 2262 1",
        ));
    ws.rasd()
        .args(["search", "--count", "--facets", "year", "خلية"])
        .assert()
        .success()
        .stdout(predicate::str::contains("year: 2024 2, 1800 1, 2262 1"));
}

/// A view of one language counts a term's rarity among that language's articles, and its
/// rows say so.
#[test]
fn explain_counts_a_language_views_articles_in_its_language() {
    let ws = Workspace::new();
    let line = |id: &str, lang: &str, body: &str| {
        format!(r#"{{"id":"{id}","lang":"{lang}","title":"t","body":"{body}"}}"#)
    };
    let lines = [
        line("f1", "fr", "la police a saisi la drogue"),
        line("f2", "fr", "le tribunal a jugé"),
        line("a1", "ar", "تفكيك خلية"),
        line("a2", "ar", "حجز مخدرات"),
        line("a3", "ar", "محاكمة متهمين"),
    ];
    ws.write("mixed.jsonl", &lines.join("\n"));
    ws.index().success();
    let output = ws
        .rasd()
        .args([
            "search",
            "--no-glossary",
            "--explain",
            "--width",
            "0",
            "police",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("body_fr: polic: 1 time(s)"), "{text}");
    assert!(text.contains("in 1 of 2 articles in fr"), "{text}");
    assert!(text.contains("in 1 of 5 articles"), "{text}");
}

#[test]
fn explain_shows_why_a_hit_scored() {
    let ws = archive();
    // Exact and without aliases: one term per field, whose entries this test can name.
    ws.rasd()
        .args([
            "search",
            "--no-aliases",
            "--explain",
            "-n",
            "1",
            "exact:البحرين",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("sum of"))
        .stdout(
            predicate::str::is_match(r"body_surface: البحرين: 1 time\(s\) in a field of \d+ words")
                .unwrap(),
        );
    let output = ws
        .rasd()
        .args([
            "search",
            "--json",
            "--no-aliases",
            "--explain",
            "exact:البحرين",
        ])
        .output()
        .unwrap();
    let hit: Value = serde_json::from_slice(&output.stdout).unwrap();
    let score = hit["score"].as_f64().unwrap();
    let explained = hit["explanation"]["score"].as_f64().unwrap();
    assert!((score - explained).abs() < 1e-3, "{score} vs {explained}");
    assert!(hit["explanation"]["parts"].as_array().unwrap().len() >= 2);
    // Without --explain, the JSON contract is unchanged.
    let plain = ws
        .rasd()
        .args(["search", "--json", "البحرين"])
        .output()
        .unwrap();
    let hit: Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert!(hit.get("explanation").is_none());
}

#[test]
fn aliases_cross_scripts_both_ways() {
    let ws = Workspace::new();
    ws.write(
        "fr.md",
        "---\nlang: fr\n---\n# Arrestations\n\nTrois membres présumés de Daech arrêtés à Lyon.\n",
    );
    ws.write(
        "ar.txt",
        &article("خبر", "اعتقال ثلاثة عناصر من تنظيم الدولة في الموصل."),
    );
    ws.write("other.txt", &article("خبر", "الدولة تعلن ميزانية جديدة."));
    ws.index().success();
    // An Arabic name finds the French article, and the reverse; the written form ranks first.
    assert_eq!(ids(&ws, &["\"تنظيم الدولة\""]), ["ar.txt", "fr.md"]);
    assert_eq!(ids(&ws, &["Daech"]), ["fr.md", "ar.txt"]);
    assert_eq!(sorted(ids(&ws, &["ISIS"])), ["ar.txt", "fr.md"]);
    // A lone common word is not a name.
    assert_eq!(ids(&ws, &["الدولة"]).len(), 2);
    assert_eq!(ids(&ws, &["--no-aliases", "Daech"]), ["fr.md"]);
    assert_eq!(ids(&ws, &["exact:Daech"]), ["fr.md"]);
    // A user's own group.
    ws.write(
        "mine/aliases.toml",
        "[[group]]\nname = \"Budget\"\nmembers = [\"ميزانية\", \"Haushalt\"]\n",
    );
    let file = ws.archive().join("mine/aliases.toml");
    assert!(ids(&ws, &["Haushalt"]).is_empty());
    assert_eq!(
        ids(&ws, &["--aliases", file.to_str().unwrap(), "Haushalt"]),
        ["other.txt"]
    );
    ws.rasd()
        .args(["analyze", "--query", "Daech"])
        .assert()
        .success()
        .stdout(predicate::str::contains("داعش").and(predicate::str::contains("alias, weight")))
        .stdout(predicate::str::contains("(Islamic State)"));
    ws.write("mine/bad.toml", "[[group]]\nnom = \"x\"\n");
    ws.rasd()
        .args(["search", "--aliases"])
        .arg(ws.archive().join("mine/bad.toml"))
        .arg("Daech")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml:2:"));
}

#[test]
fn bidi_on_reorders_lines_and_keeps_highlights() {
    let ws = archive();
    let run = |bidi: &str| {
        let output = ws
            .rasd()
            .args([
                "--color",
                "always",
                "search",
                "--bidi",
                bidi,
                "-n",
                "1",
                "البحرين",
            ])
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let logical = run("off");
    assert!(plain(&logical).contains("خلية في البحرين"), "{logical}");
    assert_eq!(run("auto"), logical);
    let visual = run("on");
    let reversed = |s: &str| s.chars().rev().collect::<String>();
    // Each line reads right to left when written left to right...
    assert!(
        plain(&visual).contains(&reversed("خلية في البحرين")),
        "{visual}"
    );
    // ...and the matched word, reversed for display, is still highlighted as one piece.
    assert!(
        visual.contains(&format!("\u{1b}[1m\u{1b}[31m{}", reversed("البحرين"))),
        "{visual:?}"
    );
    // JSON keeps the logical order.
    let json = ws
        .rasd()
        .args(["search", "--json", "--bidi", "on", "البحرين"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(json.stdout)
            .unwrap()
            .contains("خلية في البحرين")
    );
}

#[test]
fn fuzzy_latin_names_match_spelling_variants() {
    let ws = Workspace::new();
    ws.write(
        "1.txt",
        &article("Trial", "Mukhtar Belmokhtar was sentenced."),
    );
    ws.write("2.txt", &article("Flight", "Moukhtar Belmokhtar fled."));
    ws.write("3.txt", &common::article("Talk", "Mokhtar spoke."));
    ws.write("4.txt", &common::article("Other", "Nothing to see."));
    ws.index().success();
    assert_eq!(ids(&ws, &["Mokhtar"]), ["3.txt"]);
    // The written form first, then the variants.
    let fuzzy = ids(&ws, &["Mokhtar~1"]);
    assert_eq!(fuzzy[0], "3.txt");
    assert_eq!(sorted(fuzzy), ["1.txt", "2.txt", "3.txt"]);
    assert_eq!(sorted(ids(&ws, &["Mokhtar~"])), ["1.txt", "2.txt", "3.txt"]);
    assert_eq!(ids(&ws, &["Mokhtar~0"]), ["3.txt"]);
    // Combined with other words.
    assert_eq!(ids(&ws, &["Mokhtar~1 AND fled"]), ["2.txt"]);
    ws.rasd()
        .args(["analyze", "--query", "Mokhtar~1"])
        .assert()
        .stdout(predicate::str::contains("(moukhtar OR mukhtar)^0.5"));
}

#[test]
fn and_not_excludes_like_minus_and_an_excluded_name_keeps_its_aliases() {
    let ws = Workspace::new();
    ws.write("cell-isis.txt", &article("خلية", "تفكيك خلية تابعة لداعش."));
    ws.write("cell.txt", &article("خلية", "تفكيك خلية في المدينة."));
    ws.write("interpol-ar.txt", &article("تعاون", "مذكرة من الإنتربول."));
    ws.write(
        "interpol-en.txt",
        &article("Cooperation", "A notice from Interpol."),
    );
    ws.write(
        "interpol-both.txt",
        &article("تعاون", "مذكرة من الإنتربول (Interpol)."),
    );
    ws.index().success();
    for query in [
        "خلية -داعش",
        "خلية AND NOT داعش",
        "NOT داعش AND خلية",
        "خلية NOT داعش",
    ] {
        assert_eq!(ws.ids(query), vec!["cell.txt"], "{query}");
    }
    // The alias group of an excluded name is not excluded with it.
    assert_eq!(ws.ids("+الإنتربول -Interpol"), vec!["interpol-ar.txt"]);
    assert_eq!(
        ws.ids("الإنتربول"),
        vec!["interpol-ar.txt", "interpol-both.txt", "interpol-en.txt"]
    );
    // `analyze --query` says so: the excluded name has no aliases.
    let output = ws
        .rasd()
        .args(["analyze", "--query", "--json", "+الإنتربول -Interpol"])
        .output()
        .unwrap();
    let described: Value = serde_json::from_slice(&output.stdout).unwrap();
    let aliases: Vec<usize> = described["literals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["aliases"].as_array().unwrap().len())
        .collect();
    assert!(aliases[0] > 0 && aliases[1] == 0, "{aliases:?}");
}

#[test]
fn explain_shows_the_weight_of_an_alias_phrase_in_every_view() {
    let ws = Workspace::new();
    ws.write(
        "a.txt",
        &article(
            "هجوم",
            "تبنى تنظيم داعش الهجوم. وقال بيان إن الدولة الإسلامية أعلنت مسؤوليتها.",
        ),
    );
    ws.index().success();
    let output = ws
        .rasd()
        .args([
            "search",
            "--explain",
            "--width",
            "300",
            "--color",
            "never",
            "داعش",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let phrases: Vec<&str> = stdout
        .lines()
        .filter(|line| line.contains("\"دول اسلامي"))
        .collect();
    assert!(!phrases.is_empty(), "{stdout}");
    for row in phrases {
        assert!(row.contains("(weight ×"), "{row}\n{stdout}");
    }
}

#[test]
fn a_french_elision_keeps_the_name_and_lights_up_no_lone_letter() {
    let ws = Workspace::new();
    ws.write(
        "fr.txt",
        &article(
            "Cellule démantelée",
            "La cellule, liée à l'État islamique, préparait l'attaque d'une caserne de l'armée.",
        ),
    );
    ws.write(
        "en.txt",
        &article(
            "Cell",
            "The cell pledged allegiance to the Islamic State group.",
        ),
    );
    ws.index().success();
    let hits = ws.search("l'État islamique");
    let ids: Vec<&str> = hits.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["fr.txt", "en.txt"],
        "the alias group, found through the elision"
    );
    // The phrase as typed, its elision with it; no other `l` of the text.
    assert_eq!(common::highlighted(&hits[0]), ["l'État islamique"]);
}

/// Articles of equal score are listed by their file's path, not in the order indexing happened
/// to store them: two builds of one archive list them alike.
#[test]
fn equal_scores_are_listed_alike_however_the_index_was_built() {
    let line = |id: &str| {
        format!(
            "{{\"id\":\"{id}\",\"date\":\"2024-05-01\",\"title\":\"حجز شحنة\",\"body\":\"حجز شحنة من المخدرات في الميناء\"}}\n"
        )
    };
    let names = ["c.jsonl", "a.jsonl", "d.jsonl", "b.jsonl"];
    // All at once, then one file per run in another order: one segment against four.
    let at_once = Workspace::new();
    for name in names {
        at_once.write(name, &line(&name[..1]));
    }
    at_once.index().success();
    let one_by_one = Workspace::new();
    for name in names.iter().rev() {
        one_by_one.write(name, &line(&name[..1]));
        one_by_one.index().success();
    }
    for query in ["date:2024", "المخدرات", "حجز AND شحنة"] {
        for sort in ["relevance", "date", "-date"] {
            let listed = |ws: &Workspace| ids(ws, &["--no-collapse", "--sort", sort, "--", query]);
            assert_eq!(listed(&at_once), ["a", "b", "c", "d"], "{query} {sort}");
            assert_eq!(listed(&one_by_one), ["a", "b", "c", "d"], "{query} {sort}");
        }
    }
}

/// Articles of one file that rank alike come in the file's order, however indexing split them.
#[test]
fn equal_scores_in_one_file_come_in_the_files_order() {
    let ws = Workspace::new();
    let line = |id: &str| {
        format!(
            "{{\"id\":\"{id}\",\"date\":\"2024-05-01\",\"title\":\"حجز شحنة {id}\",\"body\":\"حجز شحنة من المخدرات في الميناء\"}}\n"
        )
    };
    let ids = ["z", "m", "a", "q", "b"];
    ws.write("feed.jsonl", &ids.map(line).concat());
    ws.index().success();
    for sort in ["relevance", "date"] {
        assert_eq!(
            self::ids(&ws, &["--no-collapse", "--sort", sort, "--", "date:2024"]),
            ids,
            "{sort}"
        );
    }
}

/// An index built before articles kept their place in their file is searched and written on
/// without a rebuild; its articles of one file that rank alike come in the index's order.
#[test]
fn an_index_without_the_place_of_articles_needs_no_rebuild() {
    let ws = Workspace::new();
    ws.write(
        "a.txt",
        &article("تهريب", "حجز كمية من المخدرات بميناء طنجة."),
    );
    ws.index().success();
    common::edit_saved_fields(&ws, |fields| {
        fields.retain(|field| field["name"] != "_position");
    });
    assert_eq!(ws.ids("تهريب"), ["a.txt"]);
    ws.write(
        "b.txt",
        &article("تهريب", "حجز كمية من المخدرات بميناء طنجة."),
    );
    ws.index().success();
    assert_eq!(ws.ids("تهريب"), ["a.txt", "b.txt"]);
    assert_eq!(ids(&ws, &["--no-collapse", "تهريب"]), ["a.txt", "b.txt"]);
}
