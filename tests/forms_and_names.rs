//! Related Arabic forms (duals, plurals, broken plurals, verbs, roots) and names across scripts,
//! through the real binary: what they find, that the written form still ranks first, and what
//! `rasd analyze` says about them.

mod common;

use common::{Workspace, article};
use serde_json::Value;

fn ids(hits: &[Value]) -> Vec<&str> {
    hits.iter().map(|h| h["id"].as_str().unwrap()).collect()
}

/// The ids of the hits, sorted: for hits whose order is not the point.
fn sorted_ids(hits: &[Value]) -> Vec<&str> {
    let mut ids = ids(hits);
    ids.sort_unstable();
    ids
}

#[test]
fn an_article_with_a_word_only_through_its_root_comes_after_the_matches_uncounted() {
    let ws = Workspace::new();
    ws.write(
        "explosives.txt",
        &article("ضبط", "حجز كمية من المتفجرات في مخزن."),
    );
    ws.write(
        "dawn.txt",
        &article("مداهمة", "مداهمة عند الفجر في حي شعبي."),
    );
    ws.write("blast.txt", &article("حادث", "انفجار قنبلة قرب السوق."));
    ws.index().success();
    let count = |options: &[&str], query: &str| ws.count(options, query).trim().to_string();
    // `فجر` (dawn) and `انفجار` (an explosion) share the root of المتفجرات (explosives):
    // listed after the match, each saying which word it has only by its root.
    let hits = ws.search("المتفجرات");
    assert_eq!(ids(&hits[..1]), ["explosives.txt"]);
    assert_eq!(sorted_ids(&hits[1..]), ["blast.txt", "dawn.txt"]);
    assert_eq!(hits[0]["by_root"], serde_json::json!([]));
    for hit in &hits[1..] {
        assert_eq!(hit["by_root"], serde_json::json!(["المتفجرات"]));
        // A word had only through its root is not counted as had.
        assert_eq!(
            (hit["matched_words"].clone(), hit["query_words"].clone()),
            (0.into(), 1.into())
        );
    }
    assert_eq!(count(&[], "المتفجرات"), "1");
    // CSV says it in its last column.
    let csv = ws
        .rasd()
        .args(["search", "--format", "csv", "المتفجرات"])
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert!(
        rows[0].ends_with(",related,by_root,transliterated"),
        "{csv}"
    );
    assert!(rows[1].ends_with(",1,false,,"), "{csv}");
    assert!(
        rows[2..]
            .iter()
            .all(|row| row.ends_with(",0,false,المتفجرات,")),
        "{csv}"
    );
    assert_eq!(
        ids(&ws.search_with(&["--all"], "المتفجرات")),
        ["explosives.txt"]
    );
    let text = ws
        .rasd()
        .args(["search", "--color", "never", "المتفجرات"])
        .assert()
        .success();
    let stdout = String::from_utf8(text.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("by root: المتفجرات"), "{stdout}");
    // A line says what the hits after the match are (probe 15).
    let heading = "\nNot matches: articles with the query's words only by root\n\n2. ";
    assert!(stdout.contains(heading), "{stdout}");
    assert_eq!(stdout.matches("Not matches").count(), 1, "{stdout}");
    assert!(
        stdout.contains("1 article matched; then 2 articles through words of the same root"),
        "{stdout}"
    );
    // A page full of matches does not look further.
    let full = ws.search_with(&["-n", "1"], "المتفجرات");
    assert_eq!(ids(&full), ["explosives.txt"]);
    // With nothing but them, the search still found something: exit 0.
    ws.rasd()
        .args(["search", "--color", "never", "مفجر"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "0 articles matched; then 3 articles through words of the same root",
        ));
    ws.rasd().args(["search", "--all", "مفجر"]).assert().code(1);
    // Two words: an article with both, one by its root, comes before those with one word,
    // which count only the words themselves; none is listed twice.
    let hits = ws.search("المتفجرات السوق");
    assert_eq!(ids(&hits), ["blast.txt", "explosives.txt", "dawn.txt"]);
    assert_eq!(hits[0]["matched_words"], 1);
    assert_eq!(hits[0]["by_root"], serde_json::json!(["المتفجرات"]));
    assert_eq!(hits[1]["matched_words"], 1);
    // Last, an article with a word only through its root, and no other.
    assert_eq!(hits[2]["matched_words"], 0);
    assert_eq!(hits[2]["by_root"], serde_json::json!(["المتفجرات"]));
    // Each tier under its own line: the page opens with the same-root one.
    let stdout = ws
        .rasd()
        .args(["search", "--color", "never", "المتفجرات السوق"])
        .output()
        .unwrap()
        .stdout;
    let stdout = String::from_utf8(stdout).unwrap();
    assert!(
        stdout.starts_with("Not matches: articles with every word, some only by root\n\n1. "),
        "{stdout}"
    );
    assert!(
        stdout.contains("\nPartial matches: articles with some of the words\n\n2. "),
        "{stdout}"
    );
    // Last, the article with none of the words itself, under a line of its own (probe 17:
    // it stood under the partial matches' line).
    assert!(
        stdout.contains("\nNot matches: articles with the query's words only by root\n\n3. "),
        "{stdout}"
    );
    assert_eq!(stdout.matches("Not matches").count(), 2, "{stdout}");
    // The same in a group of alternatives, and for a word bound to a field.
    for query in ["(المتفجرات OR سيارة) قنبلة", "body:المتفجرات قنبلة"]
    {
        assert_eq!(count(&[], query), "0", "{query}");
        let hits = ws.search(query);
        assert_eq!(ids(&hits[..1]), ["blast.txt"], "{query}");
        assert_ne!(hits[0]["by_root"], serde_json::json!([]), "{query}");
    }
    assert!(
        ws.search_with(&["--all"], "(المتفجرات OR سيارة) قنبلة")
            .is_empty()
    );
}

#[test]
fn duals_broken_plurals_and_roots_are_found_below_the_written_form() {
    let ws = Workspace::new();
    ws.write(
        "dual.txt",
        &article("حادث", "اصطدام الحافلتين قرب المدينة."),
    );
    ws.write("single.txt", &article("حادث", "انقلاب حافلة قرب المدينة."));
    ws.write("plural.txt", &article("حدود", "إغلاق المعابر الحدودية أمس."));
    ws.write("root.txt", &article("قضية", "محاكمة الخاطفين في الرباط."));
    ws.write("milk.txt", &article("سوق", "ارتفاع أسعار الحليب واللبن."));
    ws.write("lebanon.txt", &article("سياسة", "زيارة وزير إلى لبنان."));
    ws.index().success();
    assert_eq!(
        ids(&ws.search_with(&["--all"], "حافلة")),
        ["single.txt", "dual.txt"]
    );
    assert_eq!(ids(&ws.search_with(&["--all"], "حافلتان")).len(), 2);
    // Signs around a word hide none of its forms (pasted guillemets, a hashtag).
    for signed in ["«حافلة»", "#حافلة"] {
        assert_eq!(
            ids(&ws.search_with(&["--all"], signed)),
            ["single.txt", "dual.txt"],
            "{signed}"
        );
    }
    assert_eq!(ids(&ws.search_with(&["--all"], "معبر")), ["plural.txt"]);
    // A boost typed weighs the word; it finds the same forms.
    for boosted in ["حافلة^2", "(حافلة)^3", "حافلة^0.5"] {
        let hits = ws.search_with(&["--all"], boosted);
        let mut found = ids(&hits);
        found.sort();
        assert_eq!(found, ["dual.txt", "single.txt"], "{boosted}");
    }
    assert_eq!(ids(&ws.search_with(&["--all"], "معبر^2")), ["plural.txt"]);
    // A word bound to a field finds its forms in that field only.
    assert_eq!(
        ids(&ws.search_with(&["--all"], "body:معبر")),
        ["plural.txt"]
    );
    assert!(ws.search_with(&["--all"], "title:معبر").is_empty());
    assert_eq!(
        sorted_ids(&ws.search_with(&["--all"], "body:حافلة")),
        ["dual.txt", "single.txt"]
    );
    // Not under --exact.
    assert!(
        ws.search_with(&["--all", "--exact"], "body:معبر")
            .is_empty()
    );
    // An article with a word of the same root only is no match (see the test below).
    assert!(ws.search_with(&["--all"], "اختطاف").is_empty());
    assert_eq!(ids(&ws.search("اختطاف")), ["root.txt"]);
    assert_eq!(ids(&ws.search("اختطاف الرباط")), ["root.txt"]);
    // Words of the same root are for short queries: in a longer one, whose other words are
    // all in the article, `اختطاف` no longer meets الخاطفين.
    let long = ws.search("اختطاف محاكمة في الرباط قضية");
    assert!(
        long.iter().all(|hit| hit["matched_words"] != 4),
        "{long:#?}"
    );
    let written = ws.search_with(&["--all"], "الخاطفين محاكمة في الرباط قضية");
    assert_eq!(ids(&written), ["root.txt"]);
    // The distractors stay apart.
    assert_eq!(ids(&ws.search_with(&["--all"], "لبن")), ["milk.txt"]);
    // An excluded word excludes its own forms only.
    assert_eq!(ids(&ws.search_with(&["--all"], "قرب -حافلة")), ["dual.txt"]);
}

#[test]
fn a_word_in_a_field_finds_its_forms_there_but_a_prefix_only_its_words() {
    let ws = Workspace::new();
    ws.write(
        "one.txt",
        &article("سجن موظف بتهمة الرشوة", "حكم عليه أمس."),
    );
    ws.write(
        "many.txt",
        &article("توقيف موظفين بتهم رشاوى", "أوقفت الشرطة أمس."),
    );
    ws.write("body.txt", &article("حكم", "تلقى رشاوى من مقاولين."));
    ws.index().success();
    assert_eq!(
        sorted_ids(&ws.search_with(&["--all"], "title:رشوة")),
        ["many.txt", "one.txt"]
    );
    assert_eq!(ids(&ws.search_with(&["--all"], "title:رشو*")), ["one.txt"]);
    assert_eq!(
        ids(&ws.search_with(&["--all", "--exact"], "title:رشوة")),
        ["one.txt"]
    );
}

#[test]
fn a_verb_finds_its_other_persons_and_its_verbal_noun_in_a_long_query() {
    let ws = Workspace::new();
    ws.write(
        "past.txt",
        &article("هجوم", "استهدف انتحاري نقطة تفتيش للجيش شمال المدينة."),
    );
    ws.write(
        "noun.txt",
        &article("هجوم", "استهداف نقطة تفتيش للجيش بسيارة مفخخة."),
    );
    ws.write(
        "feminine.txt",
        &article("هجوم", "استهدفت طائرة نقطة تفتيش للجيش قرب الحدود."),
    );
    ws.write("tax.txt", &article("اقتصاد", "ارتفاع أسعار الوقود للجيش."));
    ws.index().success();
    // Five words: roots are off, verbs are not. The article that writes the verb in another
    // person has every word.
    let hits = ws.search_with(&["--all"], "استهدفت نقطة تفتيش للجيش المدينة");
    assert_eq!(ids(&hits), ["past.txt"]);
    // Every article with the verb in any person, or its verbal noun, has every word; the
    // written form ranks first.
    let hits = ws.search_with(&["--all"], "استهدفت نقطة تفتيش للجيش");
    let found = ids(&hits);
    assert_eq!(found[0], "feminine.txt", "{hits:#?}");
    assert_eq!(found.len(), 3, "{hits:#?}");
    // Without the verb stage's data there is nothing to read: the word as written only.
    let exact = ws.search_with(&["--all", "--exact"], "استهدفت نقطة تفتيش للجيش");
    assert_eq!(ids(&exact), ["feminine.txt"]);
    // `rasd analyze --query` says why.
    let output = ws
        .rasd()
        .args(["analyze", "--query", "استهدفت"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("conjugation, found in the index"), "{text}");
    assert!(
        text.contains("verb and verbal noun, found in the index"),
        "{text}"
    );
}

#[test]
fn a_verb_whose_last_root_letter_is_weak_finds_its_noun_and_persons() {
    let ws = Workspace::new();
    ws.write(
        "verb.txt",
        &article("جمارك", "اعتدى مهربون على أعوان الجمارك قرب الحدود."),
    );
    ws.write(
        "noun.txt",
        &article("جمارك", "اعتداء على أعوان الجمارك قرب الحدود."),
    );
    ws.write(
        "present.txt",
        &article("جمارك", "مهربون يعتدون على أعوان الجمارك."),
    );
    ws.index().success();
    // The plural of the verbal noun, with the article or not, finds the verb in any person.
    assert_eq!(
        sorted_ids(&ws.search_with(&["--all"], "اعتداءات المهربين على أعوان الجمارك")),
        ["present.txt", "verb.txt"]
    );
    assert_eq!(
        sorted_ids(&ws.search_with(&["--all"], "الاعتداء على أعوان الجمارك")),
        ["noun.txt", "present.txt", "verb.txt"]
    );
    assert_eq!(
        sorted_ids(&ws.search_with(&["--all"], "اعتدوا على أعوان الجمارك")),
        ["noun.txt", "present.txt", "verb.txt"]
    );
}

#[test]
fn names_are_found_across_scripts_and_rank_below_exact_matches() {
    let ws = Workspace::new();
    ws.write(
        "ar.txt",
        &article("قضية", "أصدر القاضي لحلو حكما في خريبكة."),
    );
    ws.write(
        "fr.md",
        "---\nlang: fr\n---\n# Procès\n\nLe juge Lahlou a siégé à Khouribga, avec Zefzafi.\n",
    );
    ws.write(
        "ar2.txt",
        &article("احتجاج", "تضامن مع الزفزافي في الحسيمة."),
    );
    ws.index().success();
    assert_eq!(
        ids(&ws.search_with(&["--all"], "Lahlou")),
        ["fr.md", "ar.txt"]
    );
    assert_eq!(
        ids(&ws.search_with(&["--all"], "Khouribga")),
        ["fr.md", "ar.txt"]
    );
    assert_eq!(
        ids(&ws.search_with(&["--all"], "لحلو")),
        ["ar.txt", "fr.md"]
    );
    assert_eq!(
        ids(&ws.search_with(&["--all"], "الزفزافي")),
        ["ar2.txt", "fr.md"]
    );
    // Only name-like words: a lowercase Latin word is taken as written.
    assert_eq!(ids(&ws.search_with(&["--all"], "lahlou")), ["fr.md"]);
    // And exact search takes every word as written.
    assert_eq!(
        ids(&ws.search_with(&["--all", "--exact"], "Lahlou")),
        ["fr.md"]
    );
    // A long name is also found after a one-letter proclitic (بتيزنيت, in Tiznit); a short one
    // is not (`Nador` must not find بندر).
    ws.write("tiznit.txt", &article("أمن", "توقيف مشتبه به بتيزنيت."));
    ws.write(
        "bandar.txt",
        &article("رياضة", "فوز فريق بندر في المباراة."),
    );
    ws.index().success();
    assert_eq!(ids(&ws.search_with(&["--all"], "Tiznit")), ["tiznit.txt"]);
    assert!(ws.search_with(&["--all"], "Nador").is_empty());
    // The key match weighs less than the written name, and says so.
    let hits = ws.search_with(&["--all"], "Lahlou");
    assert!(hits[0]["score"].as_f64() > hits[1]["score"].as_f64());
    assert_eq!(hits[0]["transliterated"], serde_json::json!([]));
    assert_eq!(hits[1]["transliterated"], serde_json::json!(["لحلو"]));
    // And the spelling it met is highlighted, in either script.
    assert_eq!(common::highlighted(&hits[1]), ["لحلو"]);
    let hits = ws.search_with(&["--all"], "لحلو");
    assert_eq!(common::highlighted(&hits[1]), ["Lahlou"]);
}

#[test]
fn a_place_of_the_alias_table_is_found_through_it_not_by_words_that_key_alike() {
    let ws = Workspace::new();
    ws.write(
        "rabat.txt",
        &article("مؤتمر", "انطلاق أعمال مؤتمر أمني في الرباط."),
    );
    // يربط ("links") keys as Rabat does (RBT).
    ws.write(
        "tunnel.txt",
        &article("نفق", "اكتشاف نفق يربط مستودعا بالجانب الآخر من الحدود."),
    );
    ws.write(
        "lebanese.txt",
        &article("مداهمة", "الجيش اللبناني يدهم معملا في البقاع."),
    );
    ws.write("libyan.txt", &article("حدود", "دورية على الحدود الليبية."));
    ws.write("tunis.txt", &article("محاكمة", "محاكمة متهمين في تونس."));
    ws.write(
        "german.txt",
        &article("تعاون", "تعاون مع الشرطة الألمانية في قضية تهريب."),
    );
    // The Mauritanian press's spelling, which the table does not list.
    ws.write(
        "nouakchott.txt",
        &article("توقيف", "توقيف مهربين في انواكشوط."),
    );
    ws.write("court.txt", &article("قرار", "قرار المحكمة العليا."));
    // Nador's other spelling in the press, which the table lists, and a word that keys alike.
    ws.write(
        "nador.txt",
        &article("حجز", "حجز أطنان من الشيرا بالناضور."),
    );
    ws.write("rare.txt", &article("ندرة", "ظاهرة نادرة في المنطقة."));
    ws.write("on.txt", &article("حكم", "حكم على المتهم بالسجن."));
    ws.index().success();
    let found = |options: &[&str], query: &str| {
        let mut options = options.to_vec();
        options.extend(["--all", "--lang", "ar"]);
        sorted_ids(&ws.search_with(&options, query))
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    // Rabat's Arabic spelling is its alias's; without the table its key finds both.
    assert_eq!(found(&[], "Rabat"), ["rabat.txt"]);
    assert_eq!(
        found(&["--no-aliases"], "Rabat"),
        ["rabat.txt", "tunnel.txt"]
    );
    // A country's alias also finds its nisba adjective (ليبيا, ليبي: the alif gives way).
    assert_eq!(found(&[], "Lebanon"), ["lebanese.txt"]);
    assert_eq!(found(&[], "Libya"), ["libyan.txt"]);
    assert_eq!(found(&[], "Germany"), ["german.txt"]);
    // A longer name's key, kept, finds the spellings the table does not list.
    assert_eq!(found(&[], "Nouakchott"), ["nouakchott.txt"]);
    assert_eq!(found(&[], "Nador"), ["nador.txt"]);
    assert_eq!(found(&["--no-aliases"], "Nador"), ["nador.txt", "rare.txt"]);
    // The alif's rule is the countries' alone: العليا (the supreme) does not find على (on).
    assert_eq!(found(&[], "العليا"), ["court.txt"]);
    // A city's does not (Riyadh's would find الرياضي, "sporting"); and a name the table
    // spells in Arabic only in several words keeps its key: Tunis, تونس العاصمة, finds تونس.
    assert_eq!(found(&[], "Tunis"), ["tunis.txt"]);
    let output = ws
        .rasd()
        .args(["analyze", "--query", "Lebanon"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("noun and adjective"), "{text}");
    assert!(!text.contains("transliteration"), "{text}");
}

#[test]
fn a_common_word_of_the_glossary_is_not_read_as_a_name() {
    let ws = Workspace::new();
    ws.write(
        "migration.txt",
        &article("هجرة", "ارتفاع أعداد الهجرة نحو أوروبا هذا العام."),
    );
    // `Hacker` keys as الهجره does (HKR): the handle of a person, not migration.
    ws.write(
        "hacker.md",
        "---\nlang: en\n---\n# Phishing kit\n\nA seller known as Abu Hacker offered the kit.\n",
    );
    ws.write(
        "sahel.md",
        "---\nlang: en\n---\n# Attack\n\nGunmen attacked a convoy in the Sahel.\n",
    );
    ws.index().success();
    // الهجرة is a term of the glossary, so a common word: taken as written, in every spelling.
    for typed in ["الهجره", "الهجرة"] {
        assert_eq!(
            ids(&ws.search_with(&["--all"], typed)),
            ["migration.txt"],
            "{typed}"
        );
    }
    let output = ws
        .rasd()
        .args(["analyze", "--query", "الهجره"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("glossary entry"), "{text}");
    assert!(!text.contains("transliteration"), "{text}");
    // A word the glossary only shares a stem with (الساحل, the coast and the Sahel; the
    // term is السواحل) is still a possible name.
    assert_eq!(ids(&ws.search_with(&["--all"], "الساحل")), ["sahel.md"]);
}

#[test]
fn a_name_with_a_particle_is_found_joined_or_apart_in_both_scripts() {
    let ws = Workspace::new();
    ws.write(
        "joined.md",
        "---\nlang: fr\n---\n# Faits divers\n\nUn nourrisson retrouvé à Benslimane.\n",
    );
    ws.write(
        "apart.md",
        "---\nlang: en\n---\n# News\n\nA baby was found in Ben Slimane on Monday.\n",
    );
    ws.write("ar.txt", &article("حوادث", "العثور على رضيع في بنسليمان."));
    ws.write(
        "other.md",
        "---\nlang: en\n---\n# News\n\nTrucks crossed at Ben Gardane, near Slimani farm.\n",
    );
    ws.index().success();
    let found = |query: &str| {
        let mut ids: Vec<String> = ws
            .search_with(&["--all"], query)
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(found("Ben Slimane"), ["apart.md", "ar.txt", "joined.md"]);
    assert_eq!(found("بن سليمان"), ["apart.md", "ar.txt", "joined.md"]);
    // Only the Arabic article has the name through its other script's spelling; the name
    // written as one word in the query's script is no transliteration.
    let hits = ws.search_with(&["--all"], "Ben Slimane");
    for hit in &hits {
        let expected = match hit["id"].as_str().unwrap() {
            "ar.txt" => serde_json::json!(["بنسليمان"]),
            _ => serde_json::json!([]),
        };
        assert_eq!(hit["transliterated"], expected, "{hit}");
    }
}

/// A hit whose snippet shows other words still says through which spelling it has the name:
/// read in its body (probe 32: it said `[]`, as for an article with the name as typed).
#[test]
fn a_spelling_outside_the_snippet_is_read_in_the_body() {
    let ws = Workspace::new();
    let body = format!(
        "{}وكان حكيم البوزيدي حاضرا.",
        "تقرير عن الوضع الأمني في المنطقة. ".repeat(40)
    );
    ws.write("deep.txt", &article("تقرير", &body));
    ws.index().success();
    let hits = ws.search("Hakim تقرير");
    assert_eq!(hits.len(), 1);
    assert!(!hits[0]["snippet"].as_str().unwrap().contains("حكيم"));
    assert_eq!(hits[0]["transliterated"], serde_json::json!(["حكيم"]));
}

#[test]
fn a_proclitic_form_the_plural_table_knows_as_a_word_is_that_word() {
    let ws = Workspace::new();
    ws.write("raqqa.txt", &article("سوريا", "غارات على مواقع في الرقة."));
    ws.write(
        "brigade.txt",
        &article("تفكيك", "فككت الفرقة الوطنية للشرطة القضائية شبكة."),
    );
    ws.write(
        "paper.txt",
        &article("وثائق", "عثر على ورقة مكتوبة بخط اليد."),
    );
    ws.write("in.txt", &article("قصف", "قصف مواقع بالرقة وريفها."));
    ws.index().success();
    // الرقة without its article is رقة: و or ف before it makes "paper" and "brigade".
    assert_eq!(
        sorted_ids(&ws.search_with(&["--all"], "الرقة")),
        ["in.txt", "raqqa.txt"]
    );
    assert_eq!(
        sorted_ids(&ws.search_with(&["--all", "--lang", "ar"], "Raqqa")),
        ["in.txt", "raqqa.txt"]
    );
}

#[test]
fn a_latin_article_before_a_name_is_the_arabic_spellings_own() {
    let ws = Workspace::new();
    ws.write(
        "ar.txt",
        &article("تصريح", "صرح الوزير الخلفي بأن الحكومة ماضية."),
    );
    ws.write(
        "en.md",
        "---\nlang: en\n---\n# Minister\n\nMinister El Khalfi said so.\n",
    );
    ws.index().success();
    // Every word required (`--all`): الخلفي writes `El` joined, so it has both words.
    assert_eq!(
        sorted_ids(&ws.search_with(&["--all"], "El Khalfi")),
        ["ar.txt", "en.md"]
    );
    assert_eq!(
        sorted_ids(&ws.search_with(&["--all"], "Al Khalfi")),
        ["ar.txt"]
    );
}

#[test]
fn names_joined_by_a_hyphen_are_each_found_in_both_scripts() {
    let ws = Workspace::new();
    ws.write(
        "ar.txt",
        &article(
            "توقيف",
            "أوقفت عناصر الأمن بتطوان مهربين وامتدت الأبحاث إلى الفنيدق.",
        ),
    );
    ws.write(
        "fr.md",
        "---\nlang: fr\n---\n# Saisie\n\nSaisie sur l'axe Tétouan-Fnideq.\n",
    );
    ws.write("one.txt", &article("طقس", "أمطار غزيرة في تطوان."));
    ws.write(
        "apart.md",
        "---\nlang: fr\n---\n# Procès\n\nJean Martin et Pierre Leroy à Tétouan.\n",
    );
    ws.write(
        "source.md",
        "---\nlang: fr\nsource: Tétouan-Fnideq\n---\n# Météo\n\nPluies.\n",
    );
    ws.index().success();
    // Both names required, each through its Arabic spelling too; the Latin pair still found.
    assert_eq!(
        sorted_ids(&ws.search_with(&["--all"], "Tétouan-Fnideq")),
        ["ar.txt", "fr.md"]
    );
    // A pair of which no name is in the table keeps its phrase (the split is for the
    // table's Arabic spellings): Jean and Pierre apart are not Jean-Pierre.
    assert!(ws.search_with(&["--all"], "Jean-Pierre").is_empty());
    // Quoted, it stays the phrase as written.
    assert_eq!(
        sorted_ids(&ws.search_with(&["--all"], "\"Tétouan-Fnideq\"")),
        ["fr.md"]
    );
    // A quoted pair needs both names: Dakar, which the table spells, has no key, and
    // Fnideq's alone found every article naming Fnideq.
    assert!(
        ws.search_with(&["--all"], "\"Fnideq-Dakar\"").is_empty(),
        "a quoted pair matched by one of its names"
    );
    // A field's value stays whole: a source is one value.
    assert_eq!(
        sorted_ids(&ws.search_with(&["--all"], "source:Tétouan-Fnideq")),
        ["source.md"]
    );
    // Excluded, the pair stays whole and excludes its own forms, never its Arabic spellings.
    assert_eq!(
        sorted_ids(&ws.search_with(&["--all"], "Tétouan -Tétouan-Fnideq")),
        ["apart.md", "ar.txt", "one.txt"]
    );
}

#[test]
fn a_spelling_whose_vowels_are_placed_otherwise_is_found_below_and_shown_apart() {
    let ws = Workspace::new();
    // Both key `LBN`: لبنان has its long `ا` after the `N`, where `Libyan` writes no vowel.
    ws.write("lebanon.txt", &article("أخبار", "انفجار في لبنان أمس."));
    ws.write("libyan.txt", &article("أخبار", "توقيف ليبيان على الحدود."));
    ws.index().success();
    let ids: Vec<String> = ws
        .search("Libyan")
        .iter()
        .map(|hit| hit["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["libyan.txt", "lebanon.txt"]);
    let output = ws
        .rasd()
        .args(["analyze", "--query", "--json", "Libyan"])
        .output()
        .unwrap();
    let query: Value = serde_json::from_slice(&output.stdout).unwrap();
    let name = &query["literals"][0]["names"][0];
    assert_eq!(name["candidates"], serde_json::json!(["ليبيان"]), "{name}");
    assert_eq!(name["other_vowels"], serde_json::json!(["لبنان"]), "{name}");
    let output = ws
        .rasd()
        .args(["analyze", "--query", "Libyan"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("vowels or form otherwise, weight 0.06: لبنان"),
        "{text}"
    );
}

/// A Latin first name meets the common words that key like it (`Hakim`: الحكومة, the
/// government; `Tarik`: الطريق, the road) as often as the name itself, and they repeat: such
/// a word written with the article, or in `ة`, which the name does not write, weighs as a
/// spelling whose vowels disagree, so the article naming the man ranks first (probe 31).
#[test]
fn a_common_word_that_keys_like_a_first_name_ranks_below_the_name() {
    let ws = Workspace::new();
    ws.write(
        "government.txt",
        &article(
            "الحكومة تقر قانونا",
            "صادقت الحكومة على مشروع قانون. وقال الناطق باسم الحكومة إن الحكومة ماضية في الإصلاح.",
        ),
    );
    ws.write(
        "road.txt",
        &article(
            "حادث",
            "أغلقت الطريق بعد حادث. وأعيد فتح الطريق مساء على الطريق السيار.",
        ),
    );
    ws.write(
        "hakim.txt",
        &article(
            "توقيف مهرب",
            "أوقفت الشرطة المدعو حكيم البوزيدي في الناظور.",
        ),
    );
    ws.write(
        "tarik.txt",
        &article("محاكمة", "مثل طارق بنعلي أمام المحكمة بتهمة الاتجار."),
    );
    // The bare forms the press also writes: a common noun takes the article or not.
    ws.write(
        "bare.txt",
        &article("أخبار", "أعلنت حكومة الوحدة فتح طريق جديد."),
    );
    // A place the press writes with the article alone, typed without it; and a verb that
    // keys alike.
    ws.write(
        "skhirat.txt",
        &article("أمن", "توقيف مشتبه به في الصخيرات."),
    );
    ws.write("mocked.txt", &article("رأي", "سخرت الصحف من القرار أمس."));
    // A family name after the article written apart.
    ws.write(
        "el-hakim.txt",
        &article("محاكمة", "مثل الحكيم أمام القاضي."),
    );
    ws.index().success();
    // Both in full: the place was found at a fifth of the verb's weight when every
    // spelling with the article counted as a common noun (probe 32).
    let hits = ws.search("Skhirat");
    let score = |id: &str| hits.iter().find(|h| h["id"] == id).unwrap()["score"].as_f64();
    assert!(score("skhirat.txt").unwrap() > 0.5 * score("mocked.txt").unwrap());
    assert_eq!(ids(&ws.search("El Hakim"))[0], "el-hakim.txt");
    assert_eq!(ids(&ws.search("Hakim"))[0], "hakim.txt");
    // The road written bare (طريق) keys and reads like the name: only the one written with
    // the article, three times, ranks below it.
    let tarik = ws.search("Tarik");
    let rank = |id: &str| ids(&tarik).iter().position(|i| *i == id).unwrap();
    assert!(rank("tarik.txt") < rank("road.txt"));
    // Still found, below: the name's key is a recall device. Each hit says through which
    // spelling (the JSON, CSV and text alike).
    let hits = ws.search("Hakim");
    let spelt = |id: &str| {
        let hit = hits.iter().find(|h| h["id"] == id).unwrap();
        hit["transliterated"].clone()
    };
    assert_eq!(spelt("hakim.txt"), serde_json::json!(["حكيم"]));
    assert_eq!(spelt("government.txt"), serde_json::json!(["الحكومة"]));
    let text = ws
        .rasd()
        .args(["search", "--color", "never", "Hakim"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("· by transliteration: حكيم\n"), "{text}");
    let output = ws
        .rasd()
        .args(["analyze", "--query", "--json", "Hakim"])
        .output()
        .unwrap();
    let query: Value = serde_json::from_slice(&output.stdout).unwrap();
    let name = &query["literals"][0]["names"][0];
    assert_eq!(name["candidates"], serde_json::json!(["حكيم"]), "{name}");
    let other = name["other_vowels"].as_array().unwrap();
    assert!(other.contains(&serde_json::json!("الحكومة")), "{name}");
    // The family name after the article is that too, typed without it: حكيم is written bare.
    assert!(other.contains(&serde_json::json!("الحكيم")), "{name}");
}

/// `--explain` names a key match as `analyze --query` does, not by the index's term, which
/// also holds where the spelling's vowels are (probe 24, #7: `title_names: aLHL.4`).
#[test]
fn explain_names_a_name_key_match_by_its_key_and_script() {
    let ws = Workspace::new();
    ws.write("ar.txt", &article("قضية", "أصدر القاضي لحلو حكما."));
    ws.write(
        "fr.md",
        "---\nlang: fr\n---\n# Procès\n\nLe juge Lahlou a siégé.\n",
    );
    ws.index().success();
    let explain = |query: &str| {
        let output = ws
            .rasd()
            .args(["search", "--explain", "--all", "--no-aliases", query])
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let text = explain("Lahlou");
    assert!(
        text.contains("body_names: name key LHL, spelt in Arabic letters: 1 time(s)"),
        "{text}"
    );
    let text = explain("لحلو");
    assert!(
        text.contains("body_names: name key LHL, spelt in Latin letters: 1 time(s)"),
        "{text}"
    );
    assert!(!text.contains("LHL."), "{text}");
}

#[test]
fn analyze_shows_related_forms_and_names_with_their_reasons() {
    let ws = Workspace::new();
    ws.write(
        "a.txt",
        &article(
            "حدود",
            "إغلاق المعابر قرب خريبكة مع القاضي لحلو ومنع العبور.",
        ),
    );
    ws.index().success();
    let output = ws
        .rasd()
        .args(["analyze", "--query", "معبر Lahlou"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("معابر") && text.contains("plural table, found in the index"),
        "{text}"
    );
    assert!(
        text.contains("Arabic spellings of Lahlou by transliteration (key LHL)"),
        "{text}"
    );
    assert!(text.contains(": لحلو"), "{text}");
    // In JSON, each form with its weight and whether an article with it alone matches: not
    // one with a word of the same root (probe 15).
    let output = ws
        .rasd()
        .args(["analyze", "--query", "--json", "معبر"])
        .output()
        .unwrap();
    let query: Value = serde_json::from_slice(&output.stdout).unwrap();
    let forms = query["literals"][0]["related_forms"].as_array().unwrap();
    let form = |text: &str| forms.iter().find(|f| f["text"] == text).unwrap();
    assert_eq!(form("معابر")["reason"], "plural-table", "{forms:?}");
    assert_eq!(form("معابر")["match_alone"], true, "{forms:?}");
    assert_eq!(form("عبور")["reason"], "root", "{forms:?}");
    assert_eq!(form("عبور")["match_alone"], false, "{forms:?}");
    assert!(form("عبور")["weight"].as_f64().unwrap() < 1.0, "{forms:?}");
    let output = ws
        .rasd()
        .args(["analyze", "--json", "الحافلتين"])
        .output()
        .unwrap();
    let word: Value = serde_json::from_slice(&output.stdout).unwrap();
    let forms = word["related_forms"].as_array().unwrap();
    assert!(
        forms
            .iter()
            .any(|f| f["text"] == "حافله" && f["reason"] == "dual"),
        "{forms:?}"
    );
}

/// A quoted name of several words is found in the other script only where each of its words
/// is (probe 12, F4): `"Karim Lahlou"` found every Lahlou by the surname's key alone, and
/// `"ياسين المنصوري"`, whose first name has no key, any Mansouri.
#[test]
fn a_quoted_name_in_the_other_script_needs_each_of_its_words() {
    let ws = Workspace::new();
    ws.write(
        "karim.txt",
        &article("لقاء", "استقبل الوزير كريم لحلو أمس."),
    );
    ws.write(
        "other.txt",
        &article("لقاء", "استقبل الوزير عبد الرحيم لحلو أمس."),
    );
    ws.write(
        "mansouri.txt",
        &article(
            "Interview",
            "Karim Mansouri, a shop owner, was interviewed.",
        ),
    );
    ws.index().success();
    assert_eq!(ws.ids("\"Karim Lahlou\""), ["karim.txt"]);
    assert!(ws.ids("\"ياسين المنصوري\"").is_empty());
    // Each word alone still finds its spellings.
    assert_eq!(ws.ids("Lahlou"), ["karim.txt", "other.txt"]);
}

#[test]
fn a_misspelt_name_with_a_tilde_finds_its_spelling_in_the_other_script_too() {
    let ws = Workspace::new();
    ws.write(
        "ar.txt",
        &article("هجوم", "تبنت جماعة مختار بلمختار الهجوم على المنشأة."),
    );
    ws.write(
        "en.txt",
        &article(
            "Attack",
            "The group of Mokhtar Belmokhtar claimed the attack.",
        ),
    );
    ws.index().success();
    ws.write(
        "short.txt",
        &article("Statement", "A Short statement was read."),
    );
    ws.write(
        "police.txt",
        &article("بيان", "أعلنت الشرطة توقيف مشتبه به."),
    );
    ws.index().success();
    // The misspelling's own key (BLMKTR) misses بلمختار; its variant in the index does not.
    assert!(ws.search("Belmoktar").is_empty());
    assert_eq!(sorted_ids(&ws.search("Belmoktar~")), ["ar.txt", "en.txt"]);
    // Typed in lower case, as in a terminal, the same (probe 16, LOW).
    assert_eq!(sorted_ids(&ws.search("belmoktar~")), ["ar.txt", "en.txt"]);
    // A common word's variants are no names: `Short` shares its key with الشرطة (police).
    assert_eq!(ids(&ws.search("Port~")), ["short.txt"]);
    assert_eq!(ids(&ws.search("port~")), ["short.txt"]);
    assert!(ws.search("Court~").is_empty());
    assert!(ws.search("court~").is_empty());
}
