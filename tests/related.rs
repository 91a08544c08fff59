//! Articles like the first hit: after the matches, when they are fewer than the page, marked
//! in text and JSON, at most ten, under every rule the user made explicit (exclusions,
//! filters), and never with `--all`, a required word, `OR`, `--exact` or a date order.

mod common;

use common::{Workspace, article};
use serde_json::Value;

/// One dispatch about an ambush (`كمين`); thirteen copies of one about an attack on an army
/// patrol, each naming another town, and a French article, all in the same words but
/// without that one; and unrelated news.
fn archive() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "ambush.txt",
        &article(
            "مقتل جنود في كمين",
            "قتل خمسة جنود في كمين نصبه مسلحون لدورية تابعة للجيش قرب الحدود الشمالية، \
             وأعلنت قيادة الجيش تعزيز الدوريات على الطريق الحدودي.",
        ),
    );
    let towns = [
        "الرقيبة",
        "تالة",
        "الكاف",
        "قفصة",
        "توزر",
        "القصرين",
        "سبيطلة",
        "فريانة",
        "ماجل",
        "حيدرة",
        "تبسة",
        "الشعانبي",
        "سمامة",
    ];
    for (i, town) in towns.iter().enumerate() {
        ws.write(
            &format!("patrol-{i:02}.txt"),
            &article(
                &format!("هجوم على دورية قرب {town}"),
                &format!(
                    "هاجم مسلحون دورية تابعة للجيش قرب {town} على الطريق الحدودي، وقتل جنديان \
                     وأصيب ثلاثة آخرون، وأعلنت قيادة الجيش تعزيز الدوريات في المنطقة الحدودية."
                ),
            ),
        );
    }
    ws.write(
        "patrol-fr.md",
        "---\nlang: fr\n---\n# Patrouille attaquée\n\nDes hommes armés ont attaqué une \
         patrouille de l'armée près de la frontière : دورية للجيش، مسلحون، الطريق الحدودي.\n",
    );
    ws.write(
        "match.txt",
        &article(
            "الفريق يفوز في المباراة",
            "فاز الفريق المحلي في مباراة كرة القدم بهدفين مقابل هدف.",
        ),
    );
    ws.index().success();
    ws
}

fn ids(hits: &[Value]) -> Vec<&str> {
    hits.iter().map(|h| h["id"].as_str().unwrap()).collect()
}

fn related(hits: &[Value]) -> Vec<&Value> {
    hits.iter().filter(|h| h["related"] == true).collect()
}

#[test]
fn the_page_goes_on_with_articles_like_the_first_hit() {
    let ws = archive();
    let hits = ws.search_with(&["-n", "10", "--no-collapse"], "كمائن");
    // The match first, then articles like it, marked, ranks going on.
    assert_eq!(hits[0]["id"], "ambush.txt");
    assert_eq!(hits[0]["related"], false);
    assert_eq!(hits.len(), 10, "{:?}", ids(&hits));
    assert!(hits[1..].iter().all(|h| h["related"] == true), "{hits:#?}");
    let ranks: Vec<u64> = hits.iter().map(|h| h["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, (1..=10).collect::<Vec<u64>>());
    // The sports story shares none of the ambush's telling words.
    assert!(!ids(&hits).contains(&"match.txt"));
    // The text output says so on each hit and on the last line.
    let text = ws
        .rasd()
        .args(["search", "--no-collapse", "كمائن"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(text.status.code(), Some(0));
    let text = String::from_utf8(text.stdout).unwrap();
    assert_eq!(text.matches("· like the first hit").count(), 9, "{text}");
    // With their likeness to it, not a relevance score to compare with the match's.
    assert_eq!(
        text.matches("like the first hit, likeness ").count(),
        9,
        "{text}"
    );
    assert_eq!(text.matches("· score ").count(), 1, "{text}");
    assert!(
        text.ends_with("1 article matched; then 10 articles like the first (showing 1–10).\n"),
        "{text}"
    );
    // A line says they are no matches, once, after the match and before the first of them.
    let heading = "\nNot matches: articles like the first hit\n\n2. ";
    assert_eq!(text.matches("Not matches").count(), 1, "{text}");
    assert!(text.contains(heading), "{text}");
    // In colour, what they share with the first hit is underlined, not red as a match is.
    let coloured = ws
        .rasd()
        .args(["search", "--no-collapse", "--color", "always", "كمائن"])
        .output()
        .unwrap();
    let coloured = String::from_utf8(coloured.stdout).unwrap();
    let (matched, like_first) = coloured.split_once("Not matches").unwrap();
    let red = "\u{1b}[31m";
    assert!(matched.contains(red), "{matched}");
    assert!(!like_first.contains(red), "{like_first}");
    assert!(like_first.contains("\u{1b}[4m"), "{like_first}");
    // The next page goes on with them, and no article comes twice.
    let next = ws.search_with(&["-n", "10", "--offset", "10", "--no-collapse"], "كمائن");
    assert_eq!(next.len(), 1, "{next:#?}");
    assert_eq!(next[0]["rank"], 11);
    assert!(!ids(&hits).contains(&next[0]["id"].as_str().unwrap()));
    // Collapsed, the patrol dispatches, one story told from thirteen towns, are one hit with
    // its copies named.
    let hits = ws.search_with(&["-n", "10"], "كمائن");
    let stories = related(&hits);
    assert!(
        stories.iter().any(|h| h["copies"].as_u64().unwrap() >= 10),
        "{hits:#?}"
    );
}

#[test]
fn at_most_ten_however_large_the_page() {
    let ws = archive();
    let hits = ws.search_with(&["-n", "100", "--no-collapse"], "كمائن");
    assert_eq!(related(&hits).len(), 10, "{:?}", ids(&hits));
}

#[test]
fn what_the_user_made_explicit_holds() {
    let ws = archive();
    // An excluded word: no article like the first has it.
    let hits = ws.search("كمائن -تالة");
    assert!(!related(&hits).is_empty());
    assert!(!ids(&hits).contains(&"patrol-01.txt"), "{:?}", ids(&hits));
    // A filter: Arabic articles only.
    let hits = ws.search_with(&["--lang", "ar"], "كمائن");
    assert!(!related(&hits).is_empty());
    assert!(!ids(&hits).contains(&"patrol-fr.md"), "{:?}", ids(&hits));
    // A required word: every article with it is a partial match already, the one from
    // Semmama here, and nothing is added after it.
    let hits = ws.search_with(&["--no-collapse"], "كمائن +سمامة");
    assert_eq!(ids(&hits), ["patrol-12.txt"]);
    assert!(related(&hits).is_empty(), "{:?}", ids(&hits));
}

#[test]
fn none_when_strict_explicit_exact_or_by_date() {
    let ws = archive();
    for options in [&["--all"][..], &["--exact"][..], &["--sort", "date"][..]] {
        let hits = ws.search_with(options, "كمين");
        assert!(related(&hits).is_empty(), "{options:?}: {:?}", ids(&hits));
        assert!(!hits.is_empty(), "{options:?}");
    }
    let hits = ws.search("كمين OR مباراة");
    assert!(related(&hits).is_empty(), "{:?}", ids(&hits));
    // Nothing matched: nothing to be like, and the exit status says so.
    let output = ws.rasd().args(["search", "zzzz"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.starts_with(b"0 articles matched"));
}

/// Copies of the first hit's story that lack the query's word are the most like it, and are
/// that story again: neither counted as its copies (copies are those that matched) nor shown
/// after it.
#[test]
fn copies_of_the_first_hit_that_did_not_match_are_left_out() {
    let ws = Workspace::new();
    let body = "هاجم مسلحون دورية تابعة للجيش قرب الطريق الحدودي، وقتل جنديان وأصيب ثلاثة \
                آخرون، وأعلنت قيادة الجيش تعزيز الدوريات في المنطقة الحدودية بعد الهجوم.";
    ws.write("first.txt", &article("كمين لدورية الجيش", body));
    for i in 0..4 {
        ws.write(
            &format!("copy-{i}.txt"),
            &article(&format!("هجوم على دورية للجيش {i}"), body),
        );
    }
    ws.index().success();
    let hits = ws.search_with(&["--no-collapse"], "كمائن");
    assert_eq!(
        related(&hits).len(),
        4,
        "they are like the first: {:?}",
        ids(&hits)
    );
    let hits = ws.search("كمائن");
    assert_eq!(ids(&hits), ["first.txt"]);
    assert_eq!(hits[0]["copies"], 0, "{hits:#?}");
    let text = ws
        .rasd()
        .args(["search", "كمائن"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(!text.contains("copies"), "{text}");
    assert!(text.ends_with("1 article matched (showing 1).\n"), "{text}");
}

#[test]
fn a_megabyte_first_hit_is_read_by_its_first_pages() {
    let ws = archive();
    // A first hit of a million characters (two bytes each), its rare word on the last line.
    let long = "تعزيز الدوريات على الطريق الحدودي بعد هجوم المسلحين. ".repeat(20_000);
    ws.write(
        "long.txt",
        &article("تقرير مطول", &format!("{long}\nكلمةنادرة")),
    );
    ws.index().success();
    let hits = ws.search_with(&["--no-collapse"], "كلمةنادرة");
    assert_eq!(hits[0]["id"], "long.txt");
    // Its first pages speak of patrols: the patrol dispatches are like it.
    assert!(
        related(&hits)
            .iter()
            .any(|h| h["id"].as_str().unwrap().starts_with("patrol-")),
        "{:?}",
        ids(&hits)
    );
}

#[test]
fn pages_split_one_list_the_same_at_every_run() {
    let ws = archive();
    for collapse in [&["--no-collapse"][..], &[][..]] {
        let whole = ws.search_with(&[collapse, &["-n", "20"]].concat(), "كمائن");
        let whole = ids(&whole);
        let mut pages = Vec::new();
        for offset in 0..whole.len() + 1 {
            let offset = offset.to_string();
            let page = ws.search_with(
                &[collapse, &["-n", "1", "--offset", &offset]].concat(),
                "كمائن",
            );
            pages.extend(page.iter().map(|h| h["id"].as_str().unwrap().to_string()));
        }
        assert_eq!(pages, whole, "{collapse:?}");
        // Ties among the first hit's words are broken the same way at every run.
        for _ in 0..3 {
            let again = ws.search_with(&[collapse, &["-n", "20"]].concat(), "كمائن");
            assert_eq!(ids(&again), whole, "{collapse:?}");
        }
    }
}

/// French and English stop words, which the body view keeps, never make articles alike.
#[test]
fn articles_alike_by_their_stop_words_alone_are_not_related() {
    let ws = Workspace::new();
    ws.write(
        "first.txt",
        &article(
            "Blanchiment",
            "Le blanchiment de l'argent de la drogue passait par des bureaux de change et une \
             hawala entre la France et le Maroc, selon les enquêteurs de la police judiciaire.",
        ),
    );
    ws.write(
        "hawala.txt",
        &article(
            "Réseau démantelé",
            "Une hawala clandestine et des bureaux de change servaient à transférer des fonds.",
        ),
    );
    ws.write(
        "football.txt",
        &article(
            "Match",
            "Le match de la saison entre les deux équipes de la ville a eu lieu dans le stade et \
             les supporters de la France et de la région étaient nombreux selon les organisateurs.",
        ),
    );
    ws.index().success();
    let related: Vec<String> = ws
        .search("blanchiment")
        .iter()
        .filter(|h| h["related"] == true)
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        related.first().map(String::as_str),
        Some("hawala.txt"),
        "{related:?}"
    );
}

/// Nor do the function words the index keeps (`where`, `were`, `through`, `said`, `selon`):
/// in a small archive they are rare enough to look telling.
#[test]
fn articles_alike_by_their_function_words_alone_are_not_related() {
    let ws = Workspace::new();
    ws.write(
        "trafficking.txt",
        &article(
            "Trafficking network",
            "Police said the trafficking network moved victims through ports where they were \
             held for weeks, selon les enquêteurs.",
        ),
    );
    ws.write(
        "football.txt",
        &article(
            "Derby",
            "Fans said they were singing through the night where the derby was played, selon \
             les organisateurs.",
        ),
    );
    ws.write(
        "weather.txt",
        &article("Storm", "A storm closed roads across the valley on Sunday."),
    );
    ws.index().success();
    let hits = ws.search("trafficking");
    assert_eq!(ids(&hits), ["trafficking.txt"], "{hits:?}");
}
