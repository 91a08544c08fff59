//! Syndicated copies collapsed: hand-made reprints of sample-corpus stories (Arabic, French,
//! English) show as one hit with their copies named; a different story on the same subject
//! stays apart; `--no-collapse`, the JSON keys, paging by stories, and `rasd similar`.

mod common;

use std::path::Path;

use common::{Workspace, cut_last, reprint};
use predicates::prelude::*;
use serde_json::Value;

/// The sample corpus, two Arabic reprints and a different Arabic story on the same subject and
/// place, a French and an English reprint; indexed.
fn archive() -> Workspace {
    let ws = Workspace::new();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-corpus");
    for entry in walkdir(&corpus) {
        // Bytes, not text: the corpus holds a gzip-compressed web archive.
        let target = ws.archive().join(entry.strip_prefix(&corpus).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&entry, target).unwrap();
    }
    let casablanca = "ar/2016-03-12-casablanca-cell.md";
    ws.write(
        "copies/ar-copy-1.md",
        &reprint(
            casablanca,
            "ar-copy-1",
            "صوت الساحل",
            "الدار البيضاء: سقوط خلية داعشية",
            |body| {
                let body = cut_last(body)
                    .replace("إرهابية", "ارهابيه")
                    .replace("الأمنية", "الأمنيــة")
                    .replace("السلطات", "السُّلُطات");
                format!("الدار البيضاء - وكالات\n\n{body}")
            },
        ),
    );
    ws.write(
        "copies/ar-copy-2.md",
        &reprint(
            casablanca,
            "ar-copy-2",
            "اليقظة اليوم",
            "تفكيك خلية بالدار البيضاء",
            |body| {
                let mut paragraphs: Vec<&str> = body.split("\n\n").collect();
                paragraphs.swap(1, 2);
                paragraphs
                    .join("\n\n")
                    .replace("صباح اليوم السبت", "مساء أمس الجمعة")
            },
        ),
    );
    let opening = "أعلنت السلطات المغربية، صباح اليوم السبت، عن تفكيك خلية إرهابية تتكون من خمسة \
                   عناصر تتراوح أعمارهم بين 19 و34 سنة، كانت تنشط في مدينة الدار البيضاء وضواحيها.";
    ws.write(
        "copies/ar-trial.md",
        &format!(
            "---\ntitle: محاكمة أفراد خلية إرهابية بالدار البيضاء\ndate: 2016-09-20\nsource: \
             الحدث المغاربي\nlang: ar\nid: ar-trial\n---\n\n{opening}\n\n\
             وبعد ستة أشهر، مثل المتهمون الخمسة أمام غرفة الجنايات الابتدائية المكلفة بقضايا \
             الإرهاب بملحقة محكمة الاستئناف بسلا، حيث التمس ممثل النيابة العامة إدانتهم بتهم \
             تكوين عصابة لإعداد وارتكاب أفعال إرهابية والإشادة بتنظيم إرهابي.\n\n\
             وطالب دفاع المتهمين بتمتيعهم بظروف التخفيف بالنظر إلى سنهم وغياب سوابق قضائية، \
             فيما قررت المحكمة تأجيل النطق بالحكم إلى الأسبوع المقبل بعد الاستماع إلى الكلمة \
             الأخيرة للمتهمين الذين أكدوا تراجعهم عن أفكارهم المتطرفة.\n"
        ),
    );
    ws.write(
        "copies/fr-copy.md",
        &reprint(
            "fr/2019-09-25-operation-gaviota.md",
            "fr-copy",
            "Le Courrier de l'Oriental",
            "Coup de filet anti-djihadiste entre Tanger et Madrid",
            |body| {
                cut_last(body)
                    .replace("interpellées", "interpellees")
                    .replace("mardi", "MARDI")
            },
        ),
    );
    ws.write(
        "copies/en-copy.md",
        &reprint(
            "en/2022-03-01-iraq-jordan-isis-financier.md",
            "en-copy",
            "Gulf Wire",
            "ISIS money man caught in Iraq-Jordan sting",
            |body| format!("BAGHDAD (Gulf Wire) —\n\n{}", body.replace("says", "said")),
        ),
    );
    ws.index().success();
    ws
}

/// The files under `dir`, recursively.
fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walkdir(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn hit<'a>(hits: &'a [Value], id: &str) -> Option<&'a Value> {
    hits.iter().find(|h| h["id"] == id)
}

fn copy_ids(hit: &Value) -> Vec<&str> {
    let mut ids: Vec<&str> = hit["copy_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    ids.sort();
    ids
}

fn story_of<'a>(hits: &'a [Value], id: &str) -> &'a Value {
    hits.iter()
        .find(|h| h["id"] == id || copy_ids(h).contains(&id))
        .unwrap_or_else(|| panic!("no hit stands for {id}: {hits:?}"))
}

#[test]
fn copies_collapse_into_one_hit_in_every_language_and_distractors_stay_apart() {
    let ws = archive();
    let hits = ws.search("تفكيك خلية إرهابية الدار البيضاء");
    let story = story_of(&hits, "ar-2016-0312");
    assert_eq!(
        copy_ids(story).len() + 1,
        3,
        "the original and its two reprints: {story}"
    );
    assert_eq!(story["copies"], 2);
    let mut all = copy_ids(story);
    all.push(story["id"].as_str().unwrap());
    all.sort();
    assert_eq!(all, ["ar-2016-0312", "ar-copy-1", "ar-copy-2"]);
    assert_eq!(story["story"], story["id"]);
    // The trial of the same cell, in the same city, is another story.
    let trial = hit(&hits, "ar-trial").expect("the trial stays a hit of its own");
    assert_eq!(trial["copies"], 0);

    let fr = ws.search("opération Gaviota Daech");
    assert_eq!(copy_ids(story_of(&fr, "fr-2019-0925")).len(), 1, "{fr:?}");
    let en = ws.search("ISIS financier Jordan");
    assert_eq!(copy_ids(story_of(&en, "en-2022-0301")).len(), 1, "{en:?}");
}

#[test]
fn no_collapse_shows_every_copy_and_text_names_the_copies() {
    let ws = archive();
    let query = "تفكيك خلية إرهابية الدار البيضاء";
    let every = ws.search_with(&["--no-collapse"], query);
    for id in ["ar-2016-0312", "ar-copy-1", "ar-copy-2", "ar-trial"] {
        let hit = hit(&every, id).unwrap_or_else(|| panic!("{id} missing: {every:?}"));
        assert_eq!(hit["copies"], 0);
        assert_eq!(hit["story"], id);
        assert_eq!(hit["copy_ids"], Value::Array(vec![]));
    }
    let output = ws
        .rasd()
        .args(["search", "-n", "100", query])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("+2 copies: "), "{text}");
    assert!(
        text.contains("صوت الساحل") && text.contains("اليقظة اليوم"),
        "{text}"
    );
    assert!(
        text.contains("\n4 articles have all 4 words (2 stories); then 4 articles have 3 of them"),
        "the summary counts articles and, beside them, their stories: {text}"
    );
    let output = ws
        .rasd()
        .args(["search", "-n", "100", "--no-collapse", query])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        !text.contains("copies: ") && !text.contains("stories"),
        "{text}"
    );
}

#[test]
fn json_hits_carry_story_copies_and_copy_ids() {
    let ws = archive();
    let hits = ws.search("ISIS financier Jordan");
    for hit in &hits {
        for key in ["story", "copies", "copy_ids"] {
            assert!(hit.get(key).is_some(), "{key} missing: {hit}");
        }
        assert_eq!(
            hit["copies"].as_u64().unwrap() as usize,
            hit["copy_ids"].as_array().unwrap().len()
        );
    }
}

#[test]
fn pages_count_stories_and_never_repeat_one() {
    let ws = archive();
    let query = "خلية";
    let all = ws.search(query);
    let mut seen: Vec<String> = Vec::new();
    for offset in 0..all.len() + 1 {
        let page = ws.search_with(&["-n", "1", "--offset", &offset.to_string()], query);
        if offset == all.len() {
            assert!(page.is_empty(), "past the last story: {page:?}");
            break;
        }
        assert_eq!(page.len(), 1);
        let story = page[0]["story"].as_str().unwrap().to_string();
        assert!(!seen.contains(&story), "{story} shown twice");
        assert_eq!(page[0]["rank"], offset + 1, "ranks count stories");
        for copy in copy_ids(&page[0]) {
            assert!(!seen.iter().any(|s| s == copy), "{copy} shown again");
        }
        seen.push(story);
    }
    let stories: Vec<&str> = all.iter().map(|h| h["story"].as_str().unwrap()).collect();
    assert_eq!(
        stories, seen,
        "pages one by one give the stories of one page"
    );
}

#[test]
fn similar_lists_copies_first_then_related_coverage() {
    let ws = archive();
    let output = ws
        .rasd()
        .args(["similar", "--json", "-n", "5", "ar-2016-0312"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let listed: Vec<Value> = common::json_lines(&output.stdout);
    assert_eq!(listed.len(), 5);
    let mut copies: Vec<&str> = listed[..2]
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    copies.sort();
    assert_eq!(copies, ["ar-copy-1", "ar-copy-2"]);
    assert!(listed[..2].iter().all(|a| a["copy"] == true));
    assert!(
        listed[2..]
            .iter()
            .all(|a| a["copy"] == false && a["score"].is_number())
    );
    assert!(
        listed[2..].iter().any(|a| a["id"] == "ar-trial"),
        "the trial is related coverage: {listed:?}"
    );
    let text = ws.rasd().args(["similar", "ar-copy-1"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("copy ·") && text.contains("related"),
        "{text}"
    );
    ws.rasd()
        .args(["similar", "no-such-id"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no article has the id or path `no-such-id`",
        ));
}

#[test]
fn similar_takes_the_path_search_prints_for_a_file_of_one_article() {
    let ws = Workspace::new();
    let body = "حجز كمية كبيرة من المخدرات بميناء طنجة المتوسط وتوقيف ثلاثة مهربين.";
    ws.write("a.txt", &common::article("تهريب", body));
    ws.write(
        "b.txt",
        &common::article("تهريب", &format!("{body} وقالت المصادر.")),
    );
    ws.write(
        "two.jsonl",
        "{\"id\":\"x\",\"title\":\"a\",\"body\":\"b\"}\n{\"id\":\"y\",\"title\":\"c\",\"body\":\"d\"}\n",
    );
    ws.index().success();
    // As the text output prints it: relative to the current folder.
    let output = ws
        .rasd()
        .current_dir(ws.archive())
        .args(["similar", "--json", "a.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(common::json_lines(&output.stdout)[0]["id"], "b.txt");
    ws.rasd()
        .arg("similar")
        .arg(ws.archive().join("two.jsonl"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("holds several articles"));
}

#[test]
fn an_index_without_story_signatures_in_one_column_asks_for_a_rebuild() {
    // What older indexes look like to tantivy: no `_signature` field (before signatures), or
    // the signature's words in fields of their own, `_signature0` to `_signature7`.
    for (old_name, told) in [
        (None, "no story signatures"),
        (Some("_signature0"), "story signatures in a column per word"),
    ] {
        let ws = Workspace::new();
        ws.write(
            "a.txt",
            &common::article("تهريب", "حجز كمية من المخدرات بميناء طنجة المتوسط."),
        );
        ws.index().success();
        common::edit_saved_fields(&ws, |fields| {
            let signature = fields
                .iter()
                .position(|field| field["name"] == "_signature")
                .expect("the signature's field");
            match old_name {
                None => drop(fields.remove(signature)),
                Some(name) => fields[signature]["name"] = name.into(),
            }
        });
        ws.rasd().args(["search", "تهريب"]).assert().code(2).stderr(
            predicate::str::contains(told).and(predicate::str::contains("rasd index --rebuild")),
        );
        ws.rebuild().success();
        assert_eq!(ws.ids("تهريب"), ["a.txt"]);
    }
}

/// A story long enough to be signed, for the tests of copies ranked below the walk.
const SEIZURE: &str = "أحبطت مصالح الجمارك بميناء طنجة المتوسط محاولة تهريب شحنة كبيرة من السجائر \
                       المهربة كانت مخبأة داخل شاحنة للنقل الدولي قادمة من إسبانيا، وتم حجز \
                       الشاحنة وتوقيف سائقها ووضعه رهن الحراسة النظرية لتعميق البحث معه حول \
                       الشبكة التي يشتغل لحسابها ومصادر البضاعة المحجوزة ووجهتها النهائية داخل \
                       المملكة.";

/// A JSON Lines record titled `تهريب`.
fn dated_line(id: &str, date: &str, body: &str) -> String {
    serde_json::json!({"id": id, "title": "تهريب", "body": body, "date": date}).to_string()
}

#[test]
fn copies_ranked_below_the_walk_are_named_too() {
    let ws = Workspace::new();
    let (body, line) = (SEIZURE, dated_line);
    // Newest first: the original, 220 other articles (too short to be anyone's copy), then
    // its reprint, far below the 200 matches a first page walks.
    let mut lines = vec![line("original", "2024-12-31", body)];
    lines.extend((0..220).map(|i| line(&format!("f{i}"), "2024-06-01", &format!("تهريب رقم {i}"))));
    lines.push(line("reprint", "2020-01-01", body));
    ws.write("feed.jsonl", &lines.join("\n"));
    ws.index().success();
    let first = ws.search_with(&["--sort", "date", "-n", "1"], "تهريب");
    assert_eq!(first[0]["id"], "original");
    assert_eq!(copy_ids(&first[0]), ["reprint"]);
    let last = ws.search_with(&["--sort", "date", "-n", "5", "--offset", "218"], "تهريب");
    assert_eq!(
        last.len(),
        3,
        "the reprint is not a story of its own: {last:?}"
    );
}

#[test]
fn copies_below_the_walk_are_named_across_segments_and_blocks() {
    // Two runs, so two segments; in each, more matches than the look for copies reads at a
    // time (256), and a reprint of the newest story after them.
    let ws = Workspace::new();
    let (body, line) = (SEIZURE, dated_line);
    let fillers = |prefix: &str| -> Vec<String> {
        (0..300)
            .map(|i| {
                line(
                    &format!("{prefix}{i}"),
                    "2024-06-01",
                    &format!("تهريب رقم {i}"),
                )
            })
            .collect()
    };
    let mut first = vec![line("original", "2024-12-31", body)];
    first.extend(fillers("f"));
    first.push(line("reprint-1", "2020-01-01", body));
    ws.write("a.jsonl", &first.join("\n"));
    ws.index().success();
    let mut second = fillers("g");
    second.push(line("reprint-2", "2019-01-01", body));
    ws.write("b.jsonl", &second.join("\n"));
    ws.index().success();
    let page = ws.search_with(&["--sort", "date", "-n", "1"], "تهريب");
    assert_eq!(page[0]["id"], "original");
    assert_eq!(copy_ids(&page[0]), ["reprint-1", "reprint-2"]);
}

#[test]
fn count_counts_stories_beside_articles_and_no_collapse_only_articles() {
    let ws = archive();
    let query = "تفكيك خلية إرهابية الدار البيضاء";
    let every = ws.search_with(&["--all", "--no-collapse"], query);
    let stories = ws.search_with(&["--all"], query);
    assert!(stories.len() < every.len(), "copies collapse: {stories:?}");
    let count = |options: &[&str]| ws.count(options, query);
    assert_eq!(
        count(&[]),
        format!("{} articles, {} stories\n", every.len(), stories.len())
    );
    assert_eq!(count(&["--no-collapse"]), format!("{}\n", every.len()));
    let json: Value = serde_json::from_str(&count(&["--json"])).unwrap();
    assert_eq!(json["count"], every.len());
    assert_eq!(json["stories"], stories.len());
    let json: Value = serde_json::from_str(&count(&["--json", "--no-collapse"])).unwrap();
    assert_eq!(json, serde_json::json!({ "count": every.len() }));
}

#[test]
fn count_names_one_story_in_the_singular() {
    let ws = Workspace::new();
    let body = "تفكيك خلية إرهابية في المدينة وحجز أسلحة ووثائق لدى أفرادها الخمسة. ".repeat(4);
    for (i, source) in ["الأول", "الثاني", "الثالث"].iter().enumerate() {
        ws.write(
            &format!("a{i}.md"),
            &format!("---\ntitle: خبر {i}\nsource: {source}\nlang: ar\nid: a{i}\n---\n\n{body}\n"),
        );
    }
    ws.index().success();
    ws.rasd()
        .args(["search", "--count", "خلية"])
        .assert()
        .success()
        .stdout("3 articles, 1 story\n");
}

#[test]
fn the_configuration_can_turn_collapsing_off() {
    let ws = archive();
    let config = ws.dir.path().join("rasd.toml");
    std::fs::write(&config, "[search]\ncollapse = false\n").unwrap();
    let query = "تفكيك خلية إرهابية الدار البيضاء";
    let output = ws
        .rasd()
        .arg("--config")
        .arg(&config)
        .args(["search", "--json", "-n", "100", query])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let hits: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &Value| v.get("id").is_some())
        .collect();
    for id in ["ar-2016-0312", "ar-copy-1", "ar-copy-2"] {
        let hit = hit(&hits, id).unwrap_or_else(|| panic!("{id} missing: {hits:?}"));
        assert_eq!(hit["copies"], 0);
    }
    std::fs::write(&config, "[search]\ncollapse = \"no\"\n").unwrap();
    ws.rasd()
        .arg("--config")
        .arg(&config)
        .args(["search", query])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("rasd.toml:2"));
}

#[test]
fn sorted_by_date_a_story_is_shown_by_its_first_copy_in_that_order_and_its_copies_follow_it() {
    let ws = Workspace::new();
    let casablanca = "ar/2016-03-12-casablanca-cell.md";
    let original = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample-corpus")
            .join(casablanca),
    )
    .unwrap();
    ws.write(casablanca, &original);
    for (id, source, date) in [
        ("ar-copy-1", "صوت الساحل", "2016-03-14"),
        ("ar-copy-2", "اليقظة اليوم", "2016-03-13"),
    ] {
        let copy = reprint(casablanca, id, source, "خلية بالدار البيضاء", cut_last)
            .replace("date: 2016-03-12", &format!("date: {date}"));
        ws.write(&format!("copies/{id}.md"), &copy);
    }
    ws.index().success();
    let query = "تفكيك خلية إرهابية الدار البيضاء";
    let story = |sort: &str| {
        let hits = ws.search_with(&["--sort", sort], query);
        assert_eq!(hits.len(), 1, "one story: {hits:?}");
        let copies: Vec<&str> = hits[0]["copy_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let mut ids = vec![hits[0]["id"].as_str().unwrap()];
        ids.extend(copies);
        ids.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    assert_eq!(story("date"), ["ar-copy-1", "ar-copy-2", "ar-2016-0312"]);
    assert_eq!(story("-date"), ["ar-2016-0312", "ar-copy-2", "ar-copy-1"]);
}
