//! End-to-end tests of saved web pages: indexing, searching, re-indexing a changed page, and
//! the bad pages that must not stop a run.

mod common;

use std::path::PathBuf;

use common::Workspace;
use serde_json::Value;

/// A page of the extraction test set (`crates/rasd-eval/tests/extraction/pages`).
fn test_page(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("crates/rasd-eval/tests/extraction/pages")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write_bytes(ws: &Workspace, relative: &str, bytes: &[u8]) {
    let path = ws.archive().join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Runs `rasd index --json` and returns its lines and exit code.
fn index_json(ws: &Workspace) -> (Vec<Value>, i32) {
    let output = ws
        .rasd()
        .args(["index", "--json"])
        .arg(ws.archive())
        .output()
        .unwrap();
    let lines = common::json_lines(&output.stdout);
    (lines, output.status.code().unwrap())
}

fn page(title: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><title>{title} | Test Wire</title>\
         <meta property=\"og:site_name\" content=\"Test Wire\"></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/smuggling\">Smuggling</a></nav>\
         <article><h1>{title}</h1><div class=\"story\">{body}</div></article>\
         <footer>Contact us about smuggling tips and newsletters, all rights reserved.</footer></body></html>"
    )
}

#[test]
fn saved_pages_are_indexed_with_their_text_and_metadata() {
    let ws = Workspace::new();
    write_bytes(&ws, "ar/portal.html", &test_page("ar01-portal.html"));
    write_bytes(&ws, "ar/old.htm", &test_page("ar02-oldtable.html"));
    write_bytes(&ws, "fr/blog.xhtml", &test_page("fr02-blog.html"));
    let (lines, code) = index_json(&ws);
    assert_eq!(code, 0, "{lines:#?}");
    assert_eq!(lines.last().unwrap()["added"], 3, "{lines:#?}");

    // The windows-1256 page, declared only by http-equiv, is found by an Arabic query.
    let hits = ws.search("الكوكايين");
    assert_eq!(hits.len(), 1, "{hits:#?}");
    let hit = &hits[0];
    assert_eq!(hit["id"], "ar/old.htm");
    assert_eq!(hit["title"], "حجز طنين من الكوكايين بميناء الدار البيضاء");
    assert_eq!(hit["source"], "alhadath-online.test");
    assert!(
        hit["date"].as_str().unwrap().starts_with("2023-11-05"),
        "{hit}"
    );
    assert_eq!(hit["lang"], "ar");

    // Metadata from og and JSON-LD.
    let hits = ws.search_with(&["--all"], "طنجة");
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert_eq!(hits[0]["source"], "الرصد اليومي");
    assert_eq!(
        hits[0]["url"],
        "https://www.alrasd-daily.test/ar/securite/tafkik-khaliya"
    );
    assert!(hits[0]["date"].as_str().unwrap().starts_with("2024-03-12"));

    // Nothing around the article is indexed: not the comments, the menus, the cookie banner.
    assert!(ws.search("\"mode dégradé\"").len() == 1);
    assert!(
        ws.search("cookies").is_empty(),
        "the cookie banner was indexed"
    );
    assert!(
        ws.search("\"parent pauvre\"").is_empty(),
        "a comment was indexed"
    );
}

#[test]
fn a_changed_page_is_read_again_and_a_deleted_one_removed() {
    let ws = Workspace::new();
    let old = page(
        "Smugglers caught at the border",
        &[
            "Customs officers caught four smugglers carrying cigarettes across the eastern border on Monday night.",
        ],
    );
    ws.write("news/story.html", &old);
    ws.write(
        "news/other.html",
        &page(
            "Port inspections tightened",
            &["Port authorities announced tighter inspections of containers arriving from abroad this month."],
        ),
    );
    let (lines, code) = index_json(&ws);
    assert_eq!(
        (lines.last().unwrap()["added"].as_u64(), code),
        (Some(2), 0)
    );
    assert_eq!(ws.search_with(&["--all"], "cigarettes").len(), 1);
    // The menu and footer around the article are not indexed.
    assert!(ws.search("newsletters").is_empty());

    ws.write(
        "news/story.html",
        &page(
            "Smugglers caught at the border",
            &["Customs officers caught four smugglers carrying fuel canisters across the eastern border on Monday night."],
        ),
    );
    std::fs::remove_file(ws.archive().join("news/other.html")).unwrap();
    let (lines, code) = index_json(&ws);
    let summary = lines.last().unwrap();
    assert_eq!(
        (
            summary["updated"].as_u64(),
            summary["removed"].as_u64(),
            code
        ),
        (Some(1), Some(1), 0),
        "{lines:#?}"
    );
    assert!(ws.search_with(&["--all"], "cigarettes").is_empty());
    assert_eq!(ws.search("canisters").len(), 1);
    assert!(ws.search("inspections").is_empty());
}

#[test]
fn bad_pages_are_reported_in_one_line_and_the_run_goes_on() {
    let ws = Workspace::new();
    ws.write(
        "good.html",
        &page(
            "Raid on a counterfeit workshop",
            &["Police raided a workshop producing counterfeit banknotes and seized printing equipment."],
        ),
    );
    ws.write(
        "menu-only.html",
        "<html><body><nav><a href='/'>Home</a><a href='/a'>A</a></nav><footer>(c) 2024</footer></body></html>",
    );
    // Unclosed and misnested tags, stray end tags: read as a browser would.
    ws.write(
        "malformed.html",
        "<html><body><div><p>Investigators <b>seized <i>forged passports</b> in a raid</i> on a print shop near the harbour<p>A second paragraph about the forgers</div></span></table>",
    );
    ws.write(
        "klingon.html",
        "<meta charset=\"x-klingon\"><p>A page whose charset label names no encoding, about a cyber attack on a ministry.</p>",
    );
    write_bytes(&ws, "binary.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    // A windows-1256 page labelled UTF-8 (the probe's page): detected, with a warning.
    let sentence = "توقعت الأرصاد الجوية أمطارا غزيرة وفيضانات في القرى الجبلية شمال البلاد. ";
    let mislabelled = format!(
        "<html><head><meta charset=\"utf-8\"><title>خبر</title></head><body><article><p>{}</p></article></body></html>",
        sentence.repeat(5)
    );
    let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(&mislabelled);
    write_bytes(&ws, "mislabelled.html", &cp1256);
    write_bytes(
        &ws,
        "garbage.html",
        &(1u8..=255)
            .cycle()
            .take(5000)
            .filter(|&b| b != 0)
            .collect::<Vec<_>>(),
    );

    let (lines, code) = index_json(&ws);
    let problems = &lines[..lines.len() - 1];
    let reason_of = |file: &str| {
        problems
            .iter()
            .filter(|p| p["path"].as_str().unwrap().ends_with(file))
            .map(|p| {
                (
                    p["severity"].as_str().unwrap().to_string(),
                    p["reason"].as_str().unwrap().to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    let menu = reason_of("menu-only.html");
    assert_eq!(menu.len(), 1, "{problems:#?}");
    assert_eq!(menu[0].0, "warning");
    assert!(
        menu[0].1.contains("no article text") && menu[0].1.ends_with("skipped"),
        "{menu:?}"
    );
    let klingon = reason_of("klingon.html");
    assert!(
        klingon[0].1.contains("unknown charset `x-klingon`"),
        "{klingon:?}"
    );
    assert_eq!(
        reason_of("mislabelled.html"),
        vec![(
            "warning".to_string(),
            "the page declares UTF-8 but is not valid UTF-8; decoded as windows-1256 (detected)"
                .to_string()
        )]
    );
    let binary = reason_of("binary.html");
    assert!(binary[0].1.contains("binary file"), "{binary:?}");
    assert!(reason_of("malformed.html").is_empty(), "{problems:#?}");
    assert!(reason_of("good.html").is_empty(), "{problems:#?}");
    // Bytes that mean nothing: one line at most (no article, or replaced bytes), no crash.
    assert!(reason_of("garbage.html").len() <= 2, "{problems:#?}");
    // Warnings only: the run succeeds, and every readable page is searchable.
    assert_eq!(code, 0, "{lines:#?}");
    assert_eq!(ws.search_with(&["--all"], "counterfeit").len(), 1);
    assert_eq!(ws.search_with(&["--all"], "forgers").len(), 1);
    assert_eq!(ws.search_with(&["--all"], "ministry").len(), 1);
    assert_eq!(ws.search_with(&["--all"], "فيضانات").len(), 1);
}

/// Markup nested a hundred thousand levels deep would take html5ever minutes: a page, a feed
/// item and a WARC record nested that deep are refused with one line each, and the run goes on.
#[test]
fn deeply_nested_markup_is_refused_and_the_run_goes_on() {
    let ws = Workspace::new();
    let prose = "<p>A hostile page whose paragraph about a smuggling tunnel lies very deep.</p>";
    let deep = format!(
        "<html><body>{}{prose}</body></html>",
        "<div>".repeat(100_000)
    );
    ws.write("deep.html", &deep);
    ws.write(
        "good.html",
        &page(
            "Tunnel found under the border",
            &["Border guards found a tunnel used to smuggle weapons under the fence."],
        ),
    );
    let escaped = format!("{}deep item", "<b>".repeat(100_000)).replace('<', "&lt;");
    ws.write(
        "wire.xml",
        &format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>\
             <item><title>Deep</title><link>https://wire.example/1</link><description>{escaped}</description></item>\
             <item><title>Shallow</title><link>https://wire.example/2</link><description>Customs seized a shipment of counterfeit cigarettes at the port.</description></item>\
             </channel></rss>"
        ),
    );
    let block = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{}",
        "<ul><li>".repeat(100_000)
    );
    let warc = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://deep.example/x\r\nWARC-Date: 2024-03-12T10:00:00Z\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
        block.len()
    );
    ws.write("crawl.warc", &warc);

    let (lines, code) = index_json(&ws);
    let problems = &lines[..lines.len() - 1];
    let reasons: Vec<String> = problems
        .iter()
        .map(|p| format!("{} {}", p["path"], p["reason"]))
        .collect();
    let refused = |file: &str| {
        reasons
            .iter()
            .filter(|r| r.contains(file) && r.contains("nesting deeper than 256 levels"))
            .count()
    };
    assert_eq!(refused("deep.html"), 1, "{reasons:#?}");
    assert_eq!(refused("wire.xml"), 1, "{reasons:#?}");
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("wire.xml") && r.contains("item 1:")),
        "{reasons:#?}"
    );
    assert_eq!(refused("crawl.warc"), 1, "{reasons:#?}");
    assert!(
        reasons.iter().any(|r| r.contains("https://deep.example/x")),
        "{reasons:#?}"
    );
    // The page's refusal is a warning, the feed item's a failure of that item.
    assert_ne!(code, 0);
    assert_eq!(ws.search_with(&["--all"], "tunnel").len(), 1);
    assert_eq!(ws.search_with(&["--all"], "cigarettes").len(), 1);
    assert!(ws.search("hostile").is_empty());
}
