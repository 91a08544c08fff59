//! End-to-end tests of the archive formats: RSS/Atom feeds, WARC web archives and gzip of any
//! format, their bad inputs, and re-indexing a file that holds many articles. Every fixture is
//! generated here.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use common::Workspace;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::Value;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// `bytes` as one gzip member whose data is stored, not compressed, as a compressor keeps
/// data that does not shrink: damage to it decodes, and only the checksum tells.
fn stored_gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::none());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn write_bytes(ws: &Workspace, relative: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = ws.archive().join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs `rasd index --json EXTRA ARCHIVE`: the problems, the summary and the exit code.
fn index_json(ws: &Workspace, extra: &[&str]) -> (Vec<Value>, Value, i32) {
    let output = ws
        .rasd()
        .arg("index")
        .arg("--json")
        .args(extra)
        .arg(ws.archive())
        .output()
        .unwrap();
    let mut lines: Vec<Value> = common::json_lines(&output.stdout);
    let summary = lines.pop().expect("a summary line");
    (lines, summary, output.status.code().unwrap())
}

fn counts(summary: &Value) -> [u64; 5] {
    ["added", "updated", "removed", "unchanged", "failed"].map(|k| summary[k].as_u64().unwrap())
}

fn reasons(problems: &[Value]) -> Vec<String> {
    problems
        .iter()
        .map(|p| {
            format!(
                "{} {}: {}",
                p["severity"].as_str().unwrap(),
                Path::new(p["path"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy(),
                p["reason"].as_str().unwrap()
            )
        })
        .collect()
}

fn all_ids(ws: &Workspace) -> BTreeSet<String> {
    common::ids_in(ws, &ws.index_path())
}

fn hit(ws: &Workspace, id: &str) -> Value {
    let hits = ws.search_with(&["--no-collapse"], &format!("id:\"{id}\""));
    assert_eq!(hits.len(), 1, "{id}: {hits:?}");
    hits.into_iter().next().unwrap()
}

/// An RSS 2.0 item.
struct Item<'a> {
    guid: Option<&'a str>,
    link: &'a str,
    title: &'a str,
    body: &'a str,
    date: &'a str,
}

fn rss(title: &str, items: &[Item]) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n<title>{title}</title>\n<link>https://feed.example/</link>\n"
    );
    for item in items {
        xml.push_str("<item>\n");
        xml.push_str(&format!(
            "<title>{}</title>\n<link>{}</link>\n",
            item.title, item.link
        ));
        if let Some(guid) = item.guid {
            xml.push_str(&format!("<guid isPermaLink=\"false\">{guid}</guid>\n"));
        }
        xml.push_str(&format!(
            "<pubDate>{}</pubDate>\n<category>security</category>\n<description>short summary</description>\n<content:encoded><![CDATA[<div class=\"share\"></div><p>{}</p>]]></content:encoded>\n</item>\n",
            item.date, item.body
        ));
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

fn item<'a>(n: &'a str, title: &'a str, body: &'a str) -> Item<'a> {
    Item {
        guid: Some(n),
        link: "https://feed.example/story",
        title,
        body,
        date: "Tue, 12 Mar 2024 08:30:00 GMT",
    }
}

#[test]
fn feed_items_are_articles_with_their_metadata() {
    let ws = Workspace::new();
    let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>المرصد الأمني</title><id>urn:marsad</id><updated>2024-05-01T10:00:00Z</updated>
  <entry>
    <title>تفكيك شبكة لتهريب المهاجرين</title>
    <id>urn:marsad:7</id>
    <link rel="alternate" href="https://marsad.example/7"/>
    <updated>2024-05-01T10:00:00Z</updated>
    <content type="html">&lt;p&gt;أعلنت السلطات تفكيك شبكة لتهريب المهاجرين عبر الحدود.&lt;/p&gt;</content>
  </entry>
</feed>"#;
    ws.write("feeds/marsad.atom", atom);
    let feed = rss(
        "Sahel Watch",
        &[
            Item {
                guid: None,
                link: "https://sahel.example/a/1",
                title: "Cocaine seizure in Algeciras",
                body: "The Guardia Civil seized two tonnes of cocaine.",
                date: "Tue, 12 Mar 2024 08:30:00 +0100",
            },
            item(
                "sahel-2",
                "Smugglers arrested",
                "Border police arrested smugglers.",
            ),
        ],
    );
    ws.write("feeds/sahel.rss", &feed);
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!(code, 0, "{problems:?}");
    assert_eq!(counts(&summary), [3, 0, 0, 0, 0]);
    assert_eq!(
        all_ids(&ws),
        BTreeSet::from([
            "https://sahel.example/a/1".to_string(),
            "sahel-2".to_string(),
            "urn:marsad:7".to_string()
        ])
    );
    let first = hit(&ws, "https://sahel.example/a/1");
    assert_eq!(first["title"], "Cocaine seizure in Algeciras");
    assert_eq!(first["url"], "https://sahel.example/a/1");
    assert_eq!(first["source"], "Sahel Watch");
    assert_eq!(first["date"].as_str().unwrap()[..10], *"2024-03-12");
    assert_eq!(ws.ids("tags:security").len(), 2);
    assert_eq!(ws.ids("tonnes"), vec!["https://sahel.example/a/1"]);
    // content:encoded is the body, not the description; its HTML is text.
    assert!(ws.ids("summary").is_empty());
    assert!(ws.ids("div").is_empty());
    let arabic = hit(&ws, "urn:marsad:7");
    assert_eq!(arabic["source"], "المرصد الأمني");
    assert_eq!(arabic["lang"], "ar");
    assert_eq!(ws.ids("المهاجرين"), vec!["urn:marsad:7"]);
}

#[test]
fn a_feed_that_gained_changed_and_lost_items_is_updated() {
    let ws = Workspace::new();
    let path = ws.write(
        "feed.xml",
        &rss(
            "Wire",
            &[
                item("a", "First story", "alpha original text"),
                item("b", "Second story", "bravo text"),
                item("c", "Third story", "charlie text"),
            ],
        ),
    );
    let (_, summary, _) = index_json(&ws, &[]);
    assert_eq!(counts(&summary), [3, 0, 0, 0, 0]);
    // The next day: `a` edited, `b` gone from the feed, `d` new.
    std::fs::write(
        &path,
        rss(
            "Wire",
            &[
                item("d", "Fourth story", "delta text"),
                item("a", "First story", "alpha corrected text"),
                item("c", "Third story", "charlie text"),
            ],
        ),
    )
    .unwrap();
    let plan = ws
        .rasd()
        .args(["index", "--dry-run"])
        .arg(ws.archive())
        .output()
        .unwrap();
    let plan = String::from_utf8(plan.stdout).unwrap();
    assert!(
        plan.contains("update") && plan.contains("feed.xml"),
        "{plan}"
    );
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!(code, 0, "{problems:?}");
    // As for a JSON Lines file: the changed file's articles are all re-indexed.
    let [added, updated, removed, _, _] = counts(&summary);
    assert_eq!((added, updated, removed), (1, 2, 1));
    assert_eq!(
        all_ids(&ws),
        BTreeSet::from(["a".into(), "c".into(), "d".into()])
    );
    assert_eq!(ws.ids("corrected"), vec!["a"]);
    assert!(ws.ids("original").is_empty());
    assert!(ws.ids("bravo").is_empty());
    // Touched but not changed: nothing is re-indexed.
    let content = std::fs::read(&path).unwrap();
    std::fs::write(&path, &content).unwrap();
    let (_, summary, _) = index_json(&ws, &[]);
    assert_eq!(counts(&summary), [0, 0, 0, 3, 0]);
    // The archive's only file deleted: its folder is empty, which takes saying.
    std::fs::remove_file(&path).unwrap();
    let (_, summary, _) = index_json(&ws, &["--allow-empty"]);
    assert_eq!(counts(&summary)[2], 3);
}

#[test]
fn a_repeated_guid_is_one_article_in_a_file_and_across_daily_files() {
    let ws = Workspace::new();
    ws.write(
        "wire/2024-03-01.xml",
        &rss(
            "Wire",
            &[
                item("g1", "Raid", "first version of the raid story"),
                item("g2", "Arrest", "arrest story"),
            ],
        ),
    );
    ws.write(
        "wire/2024-03-02.xml",
        &rss(
            "Wire",
            &[
                item("g1", "Raid", "updated version of the raid story"),
                item("g3", "Trial", "trial story"),
                item("g3", "Trial", "trial story, repeated in the same feed"),
            ],
        ),
    );
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!(code, 0, "{problems:?}");
    assert_eq!(
        all_ids(&ws),
        BTreeSet::from(["g1".into(), "g2".into(), "g3".into()])
    );
    assert_eq!(summary["documents"], 3);
    // The latest file (its path sorts last) holds the article as it is now.
    assert_eq!(ws.ids("updated"), vec!["g1"]);
    assert!(ws.ids("first").is_empty());
    assert_eq!(ws.ids("repeated"), vec!["g3"]);
}

#[test]
fn entity_bombs_and_external_entities_are_not_expanded() {
    let ws = Workspace::new();
    let secret = ws.dir.path().join("secret.txt");
    std::fs::write(&secret, "TOPSECRETWORD").unwrap();
    let mut doctype = String::from("<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n");
    for level in 1..=9 {
        let inner = if level == 1 {
            "&lol;".to_string()
        } else {
            format!("&lol{};", level - 1)
        };
        doctype.push_str(&format!("<!ENTITY lol{level} \"{}\">\n", inner.repeat(10)));
    }
    doctype.push_str(&format!(
        "<!ENTITY xxe SYSTEM \"file://{}\">\n]>\n",
        secret.display()
    ));
    let feed = rss(
        "Bomb",
        &[item(
            "bomb",
            "laughs &lol9; &xxe;",
            "text &lol9; and &xxe; here",
        )],
    )
    .replacen("<rss", &format!("{doctype}<rss"), 1);
    ws.write("bomb.xml", &feed);
    ws.write("plain.txt", "Plain\n\nplain article\n");
    let (problems, summary, _) = index_json(&ws, &[]);
    assert!(summary["documents"].as_u64().unwrap() >= 1, "{problems:?}");
    assert_eq!(ws.ids("plain"), vec!["plain.txt"]);
    assert!(ws.ids("TOPSECRETWORD").is_empty());
    for id in all_ids(&ws) {
        let hit = hit(&ws, &id);
        assert!(hit["title"].as_str().unwrap().len() < 200, "{hit}");
    }
}

#[test]
fn xml_that_is_not_a_feed_is_reported_and_the_run_goes_on() {
    let ws = Workspace::new();
    ws.write(
        "sitemap.xml",
        "<?xml version=\"1.0\"?><urlset><url/></urlset>",
    );
    ws.write("broken.rss", "<rss version=\"2.0\"><channel><title>x</ti");
    ws.write("ok.txt", "Title\n\nbody\n");
    let (problems, summary, code) = index_json(&ws, &[]);
    let reasons = reasons(&problems);
    assert!(
        reasons.iter().any(|r| r
            == "warning sitemap.xml: not an RSS or Atom feed (no <rss> or <feed> root element); skipped"),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("failed broken.rss: invalid feed")),
        "{reasons:?}"
    );
    assert_eq!(summary["documents"], 1);
    assert_eq!(code, 1);
    // XML that is no feed is no failure: once the broken feed is gone, nothing is reported.
    std::fs::remove_file(ws.archive().join("broken.rss")).unwrap();
    let (problems, _, code) = index_json(&ws, &[]);
    assert_eq!((code, problems.len()), (0, 0), "{problems:?}");
}

/// A WARC record.
fn warc_record(kind: &str, uri: &str, headers: &[(&str, &str)], block: &[u8]) -> Vec<u8> {
    let mut record = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-12T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\n"
    );
    for (name, value) in headers {
        record.push_str(&format!("{name}: {value}\r\n"));
    }
    record.push_str(&format!(
        "Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        block.len()
    ));
    let mut bytes = record.into_bytes();
    bytes.extend_from_slice(block);
    bytes.extend_from_slice(b"\r\n\r\n");
    bytes
}

fn http(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut bytes = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// A news page with boilerplate around the article.
fn html_page(title: &str, text: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | News Site</title></head><body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><header>News Site</header><article><h1>{title}</h1><p>{text} The investigation continues according to officials who spoke on condition of anonymity.</p><p>Further details about the case were given at a press conference held later the same day in the capital.</p></article><footer>Copyright News Site. All rights reserved.</footer></body></html>"
    )
}

fn response(uri: &str, title: &str, text: &str) -> Vec<u8> {
    warc_record(
        "response",
        uri,
        &[],
        &http(
            "200 OK",
            "text/html; charset=utf-8",
            html_page(title, text).as_bytes(),
        ),
    )
}

/// A WARC as a crawler writes it: a warcinfo record, then request/response pairs, a redirect,
/// an error, an image and a revisit.
fn crawl(pages: &[(&str, &str, &str)]) -> Vec<Vec<u8>> {
    let mut records = vec![warc_record(
        "warcinfo",
        "",
        &[],
        b"software: test\r\nformat: WARC File Format 1.0\r\n",
    )];
    for (uri, title, text) in pages {
        records.push(warc_record(
            "request",
            uri,
            &[],
            format!("GET {uri} HTTP/1.1\r\n\r\n").as_bytes(),
        ));
        records.push(response(uri, title, text));
    }
    records.push(warc_record(
        "response",
        "https://news.example/old",
        &[],
        b"HTTP/1.1 301 Moved Permanently\r\nLocation: https://news.example/new\r\n\r\n",
    ));
    records.push(warc_record(
        "response",
        "https://news.example/missing",
        &[],
        &http(
            "404 Not Found",
            "text/html",
            b"<html><body><p>Not found</p></body></html>",
        ),
    ));
    records.push(warc_record(
        "response",
        "https://news.example/logo.png",
        &[],
        &http("200 OK", "image/png", b"\x89PNG\r\n\x1a\n\0\0\0"),
    ));
    records.push(warc_record(
        "revisit",
        "https://news.example/a/1",
        &[(
            "WARC-Profile",
            "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest",
        )],
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
    ));
    records
}

const PAGES: [(&str, &str, &str); 2] = [
    (
        "https://news.example/a/1",
        "Police dismantle smuggling ring",
        "Police dismantled a smuggling ring operating across the northern border.",
    ),
    (
        "https://news.example/a/2",
        "Court convicts cyber fraudsters",
        "A court convicted five members of a phishing gang that targeted bank customers.",
    ),
];

#[test]
fn warc_pages_are_articles_and_other_records_are_counted() {
    let ws = Workspace::new();
    let records = crawl(&PAGES);
    write_bytes(&ws, "crawl.warc", &records.concat());
    // Per-record gzip, as crawlers write `.warc.gz`.
    let per_record: Vec<u8> = crawl(&[(
        "https://news.example/a/3",
        "Customs seize counterfeit medicine",
        "Customs officers seized counterfeit medicine hidden in a shipping container.",
    )])
    .iter()
    .flat_map(|r| gzip(r))
    .collect();
    write_bytes(&ws, "crawl-2.warc.gz", &per_record);
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!(code, 0, "{problems:?}");
    assert_eq!(counts(&summary), [3, 0, 0, 0, 0]);
    assert_eq!(
        all_ids(&ws),
        BTreeSet::from([
            "https://news.example/a/1".to_string(),
            "https://news.example/a/2".to_string(),
            "https://news.example/a/3".to_string(),
        ])
    );
    let reasons = reasons(&problems);
    assert_eq!(
        reasons,
        vec![
            "warning crawl-2.warc.gz: 4 records skipped: 1 not HTML, 1 redirect, 1 error status, 1 revisit",
            "warning crawl.warc: 4 records skipped: 1 not HTML, 1 redirect, 1 error status, 1 revisit",
        ]
    );
    let page = hit(&ws, "https://news.example/a/1");
    assert_eq!(page["url"], "https://news.example/a/1");
    assert_eq!(page["title"], "Police dismantle smuggling ring");
    // No date in the page: the crawl's.
    assert_eq!(page["date"].as_str().unwrap()[..10], *"2024-03-12");
    // The boilerplate is left out.
    assert!(ws.ids("copyright").is_empty());
    assert_eq!(ws.ids("counterfeit"), vec!["https://news.example/a/3"]);
}

/// The response record of page `n`, `https://news.example/p/N`, whose text names its number.
fn numbered_page(n: usize) -> Vec<u8> {
    response(
        &format!("https://news.example/p/{n}"),
        &format!("Page {n}"),
        &format!("Officers seized shipment number{n} at the port."),
    )
}

/// A `.warc.gz` with bytes between two members and a damaged member keeps every page but the
/// damaged one, and says where and what was passed over.
#[test]
fn a_web_archive_is_read_past_damaged_gzip_members() {
    let ws = Workspace::new();
    let page = numbered_page;
    let members: Vec<Vec<u8>> = (1..=5).map(|n| gzip(&page(n))).collect();
    let junk = b"\0\0\0 not gzip \r\n".to_vec();
    let mut damaged = members[3].clone();
    for b in &mut damaged[30..60] {
        *b ^= 0x5a;
    }
    let file = [
        members[0].clone(),
        members[1].clone(),
        junk.clone(),
        members[2].clone(),
        damaged,
        members[4].clone(),
    ]
    .concat();
    write_bytes(&ws, "crawl.warc.gz", &file);
    let (problems, summary, code) = index_json(&ws, &[]);
    let ids: Vec<String> = [1, 2, 3, 5]
        .iter()
        .map(|n| format!("https://news.example/p/{n}"))
        .collect();
    assert_eq!(all_ids(&ws), ids.into_iter().collect::<BTreeSet<_>>());
    assert_eq!(ws.ids("number5"), vec!["https://news.example/p/5"]);
    let said = reasons(&problems);
    let junk_at = members[0].len() + members[1].len();
    let damaged_at = junk_at + junk.len() + members[2].len();
    let next = damaged_at + members[3].len();
    // One line for each stretch passed over, and none for the records it cut.
    assert_eq!(said.len(), 2, "{said:?}");
    assert_eq!(
        said[0],
        format!(
            "failed crawl.warc.gz: {} bytes at byte {junk_at} start no gzip member; skipped to \
             the next gzip member at byte {}",
            junk.len(),
            junk_at + junk.len()
        )
    );
    assert!(
        said[1].starts_with(&format!(
            "failed crawl.warc.gz: gzip member at byte {damaged_at} damaged ("
        )) && said[1].ends_with(&format!("; skipped to the next gzip member at byte {next}")),
        "{said:?}"
    );
    // The damage is a failure of the file, reported, and the run's status says so.
    assert_eq!(counts(&summary)[0], 4);
    assert_eq!(code, 1, "{said:?}");
    // Touched, not changed: not parsed again (its pages are unchanged, not updated), and its
    // failures are said again, as long as they last.
    common::touch(&ws.archive().join("crawl.warc.gz"));
    for _ in 0..2 {
        let (problems, summary, code) = index_json(&ws, &[]);
        assert_eq!(counts(&summary), [0, 0, 0, 4, 2], "{summary}");
        assert_eq!(reasons(&problems), said);
        assert_eq!(code, 1);
    }
}

/// Damage that decodes before its checksum tells it (a stored member, one byte changed) makes
/// the record it holds unreadable too: one line says so, the damage's, and the record's page
/// is not indexed from damaged bytes.
#[test]
fn damage_told_by_a_checksum_is_one_line_and_loses_its_record_alone() {
    let ws = Workspace::new();
    let page = |n: usize, word: &str| {
        response(
            &format!("https://news.example/p/{n}"),
            &format!("Page {n}"),
            &format!("Officers seized shipment {word} at the port."),
        )
    };
    // The damaged member in the middle, or last, where its damage ends the stream.
    for (what, at, last) in [
        ("its WARC line", 0, false),
        ("its page", 300, false),
        ("its WARC line, last", 0, true),
        ("its page, last", 300, true),
    ] {
        let mut damaged = stored_gzip(&page(2, "seconds"));
        // Past the 10-byte gzip header and the 5-byte stored block header.
        damaged[15 + at] ^= 0x20;
        let (first, third) = (gzip(&page(1, "firsts")), gzip(&page(3, "thirds")));
        let file = match last {
            false => [first, damaged, third].concat(),
            true => [first, third, damaged].concat(),
        };
        write_bytes(&ws, "crawl.warc.gz", &file);
        let (problems, _, code) = index_json(&ws, &["--rebuild"]);
        assert_eq!(code, 1, "{what}: {problems:?}");
        let reasons = reasons(&problems);
        assert_eq!(reasons.len(), 1, "{what}: {reasons:?}");
        assert!(
            reasons[0].contains("damaged (corrupt gzip stream does not have a matching checksum)"),
            "{what}: {reasons:?}"
        );
        assert_eq!(ws.ids("firsts"), vec!["https://news.example/p/1"], "{what}");
        assert_eq!(ws.ids("thirds"), vec!["https://news.example/p/3"], "{what}");
        assert!(ws.ids("seconds").is_empty(), "{what}");
    }
}

/// Records are parsed in batches of 64; a member's checksum is read after its record, so the
/// damage of a batch's last member is told only while the next batch is read. Its record is
/// lost all the same, wherever the damage falls around a batch's edge.
#[test]
fn damage_told_after_a_batch_filled_loses_its_record_too() {
    let ws = Workspace::new();
    let members: Vec<Vec<u8>> = (1..=70).map(|n| gzip(&numbered_page(n))).collect();
    for damaged in 62..=67 {
        let mut file = members.clone();
        // The CRC-32, the trailer's first four bytes.
        let crc = file[damaged - 1].len() - 8;
        file[damaged - 1][crc] ^= 0xff;
        write_bytes(&ws, "crawl.warc.gz", &file.concat());
        let (problems, summary, code) = index_json(&ws, &["--rebuild"]);
        assert_eq!(code, 1, "{damaged}: {problems:?}");
        assert_eq!(reasons(&problems).len(), 1, "{damaged}: {problems:?}");
        assert_eq!(counts(&summary)[0], 69, "{damaged}: {summary}");
        assert!(ws.ids(&format!("number{damaged}")).is_empty(), "{damaged}");
        let next = damaged + 1;
        let next_id = format!("https://news.example/p/{next}");
        assert_eq!(ws.ids(&format!("number{next}")), vec![next_id], "{damaged}");
    }
}

/// A damaged gzip member whose record holds a `.warc.gz` download, stored verbatim, of a
/// forged `https://news.example/p/1` (the word `forged`): reading past the damage finds it.
fn damaged_download_of_forged_page() -> Vec<u8> {
    let forged = gzip(&response(
        "https://news.example/p/1",
        "Page 1",
        "Officers seized the forged shipment at the port.",
    ));
    let mut download = b"filler before the member ".repeat(40);
    download.extend_from_slice(&forged);
    download.extend_from_slice(&b"filler after the member ".repeat(40));
    let carrier = warc_record(
        "response",
        "https://files.example/crawl.warc.gz",
        &[],
        &http("200 OK", "application/gzip", &download),
    );
    let mut damaged = stored_gzip(&carrier);
    damaged[200] ^= 0x5a;
    damaged
}

/// Across files too: an article found after damaged data never takes an id from another
/// file, whichever was indexed first and whichever path sorts last, and a file that gave
/// such articles loses its ids to one that gave none, run after run.
#[test]
fn a_record_found_past_damage_never_replaces_another_files_page() {
    let genuine = gzip(&response(
        "https://news.example/p/1",
        "Page 1",
        "Officers seized the genuine shipment at the port.",
    ));
    let other = gzip(&response(
        "https://news.example/p/0",
        "Page 0",
        "Customs officers inspected the containers.",
    ));
    let after = gzip(&response(
        "https://news.example/p/2",
        "Page 2",
        "Police arrested two suspects.",
    ));
    let damaged = [other, damaged_download_of_forged_page(), after].concat();
    let genuine_kept = |ws: &Workspace, problems: &[Value]| {
        let said = reasons(problems);
        assert_eq!(
            ws.ids("genuine"),
            vec!["https://news.example/p/1"],
            "{said:?}"
        );
        assert!(ws.ids("forged").is_empty(), "{said:?}");
    };
    // The damaged archive's path sorts last, so the order of paths alone would keep its page.
    for damaged_first in [false, true] {
        let ws = Workspace::new();
        let (first, second) = if damaged_first {
            (("z.warc.gz", &damaged), ("a.warc.gz", &genuine))
        } else {
            (("a.warc.gz", &genuine), ("z.warc.gz", &damaged))
        };
        write_bytes(&ws, first.0, first.1);
        index_json(&ws, &[]);
        write_bytes(&ws, second.0, second.1);
        let (problems, _, _) = index_json(&ws, &[]);
        genuine_kept(&ws, &problems);
        assert_eq!(ws.ids("containers"), vec!["https://news.example/p/0"]);
        // Changed and read again, either file, then both at once (zero bytes appended,
        // padding gzip readers pass over): the same winner.
        let (mut genuine_again, mut damaged_again) = (genuine.clone(), damaged.clone());
        for changed in [
            vec!["z.warc.gz"],
            vec!["a.warc.gz"],
            vec!["a.warc.gz", "z.warc.gz"],
        ] {
            for name in &changed {
                let bytes = match *name {
                    "a.warc.gz" => &mut genuine_again,
                    _ => &mut damaged_again,
                };
                bytes.push(0);
                write_bytes(&ws, name, bytes);
            }
            let (problems, summary, _) = index_json(&ws, &[]);
            // The two give one id: both are read again when either changes.
            assert_eq!(counts(&summary)[3], 0, "{changed:?}: {summary}");
            genuine_kept(&ws, &problems);
        }
        let (problems, _, _) = index_json(&ws, &["--rebuild"]);
        genuine_kept(&ws, &problems);
    }
}

/// A download of a `.warc.gz`, kept verbatim in a damaged record, holds a gzip member that a
/// reader looking for the next member finds: its record is read, but it never replaces the
/// page the archive held before the damage.
#[test]
fn a_record_found_past_damage_never_replaces_one_before_it() {
    let ws = Workspace::new();
    let genuine = response(
        "https://news.example/p/1",
        "Page 1",
        "Officers seized the genuine shipment at the port.",
    );
    let damaged = damaged_download_of_forged_page();
    let after = response(
        "https://news.example/p/2",
        "Page 2",
        "Customs officers inspected the containers.",
    );
    let file = [gzip(&genuine), damaged, gzip(&after)].concat();
    write_bytes(&ws, "crawl.warc.gz", &file);
    let (problems, _, code) = index_json(&ws, &[]);
    assert_eq!(code, 1, "{problems:?}");
    assert_eq!(ws.ids("genuine"), vec!["https://news.example/p/1"]);
    assert!(ws.ids("forged").is_empty());
    assert_eq!(ws.ids("containers"), vec!["https://news.example/p/2"]);
    let reasons = reasons(&problems);
    assert!(
        reasons.iter().any(
            |r| r.starts_with("warning crawl.warc.gz: the WARC record at byte ")
                && r.contains(" of the decompressed archive repeats the id ")
                && r.ends_with("with damaged data between them; the earlier article is kept")
        ),
        "{reasons:?}"
    );
}

/// Bytes after the last member that start no other are named where they start, by their
/// count; the records before them are indexed.
#[test]
fn bytes_after_the_last_member_are_named_where_they_start() {
    let ws = Workspace::new();
    let page = |n: usize, word: &str| {
        gzip(&response(
            &format!("https://news.example/p/{n}"),
            &format!("Page {n}"),
            &format!("Officers seized the {word} at the port."),
        ))
    };
    let members = [page(1, "shipment"), page(2, "containers")].concat();
    write_bytes(
        &ws,
        "tail.warc.gz",
        &[members.clone(), b"junk junk".to_vec()].concat(),
    );
    let (problems, _, code) = index_json(&ws, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        reasons(&problems),
        vec![format!(
            "failed tail.warc.gz: 9 bytes at byte {} start no gzip member; the records before \
             it are indexed",
            members.len()
        )]
    );
    // The last member is whole: its record is indexed.
    assert_eq!(ws.ids("shipment"), vec!["https://news.example/p/1"]);
    assert_eq!(ws.ids("containers"), vec!["https://news.example/p/2"]);
}

/// A `.warc.gz` that is no gzip at all, or empty, fails without claiming records before the
/// damage.
#[test]
fn a_web_archive_that_is_not_gzip_claims_no_records() {
    let ws = Workspace::new();
    write_bytes(
        &ws,
        "plain.warc.gz",
        b"WARC/1.0\r\nWARC-Type: warcinfo\r\n\r\n",
    );
    write_bytes(&ws, "empty.warc.gz", b"");
    let (problems, _, code) = index_json(&ws, &[]);
    assert_eq!(code, 1);
    let said = reasons(&problems);
    assert_eq!(said.len(), 2, "{said:?}");
    for line in &said {
        assert!(line.ends_with("; no record could be read"), "{said:?}");
    }
    // Named by the member that is damaged, where its header starts.
    assert!(
        said.contains(
            &"failed plain.warc.gz: gzip member at byte 0 damaged (invalid gzip header); no \
              record could be read"
                .to_string()
        ),
        "{said:?}"
    );
}

#[test]
fn chunked_and_gzip_encoded_responses_are_decoded() {
    let ws = Workspace::new();
    let page = html_page(
        "Chunked page",
        "Investigators traced the laundered funds abroad.",
    );
    let (a, b) = page.split_at(page.len() / 2);
    let chunked = format!(
        "{:x}\r\n{a}\r\n{:x};ext=1\r\n{b}\r\n0\r\n\r\n",
        a.len(),
        b.len()
    );
    let mut block =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
            .to_vec();
    block.extend_from_slice(chunked.as_bytes());
    let compressed = gzip(
        html_page(
            "Compressed page",
            "Prosecutors charged the network's leaders.",
        )
        .as_bytes(),
    );
    let mut encoded =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
    encoded.extend_from_slice(&compressed);
    let warc = [
        warc_record("response", "https://x.example/chunked", &[], &block),
        warc_record("response", "https://x.example/gzip", &[], &encoded),
    ]
    .concat();
    write_bytes(&ws, "encoded.warc", &warc);
    let (problems, _, code) = index_json(&ws, &[]);
    assert_eq!(code, 0, "{problems:?}");
    assert_eq!(ws.ids("laundered"), vec!["https://x.example/chunked"]);
    assert_eq!(ws.ids("prosecutors"), vec!["https://x.example/gzip"]);
}

/// An Arabic news page, for the encodings tests.
const ARABIC_PAGE: &str = "<html><head><title>تفكيك خلية</title></head><body><article>\
    <p>أعلنت المديرية العامة للأمن الوطني تفكيك خلية إرهابية تنشط في مدينة طنجة.</p></article></body></html>";

/// An Arabic page in windows-1256 whose charset only the HTTP response names, as many Arabic
/// sites serve them: plain, and gzip-compressed by the server with a wrong `<meta charset>`
/// left in the page by its template (the HTTP header wins, as in browsers).
#[test]
fn a_charset_named_only_by_the_http_header_decodes_the_page() {
    let ws = Workspace::new();
    let page = ARABIC_PAGE;
    let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(page);
    let header = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1256\r\n";
    let plain = [format!("{header}\r\n").as_bytes(), &cp1256].concat();
    let mislabelled = [b"<meta charset=\"iso-8859-1\">".as_slice(), &cp1256].concat();
    let compressed = [
        format!("{header}Content-Encoding: gzip\r\n\r\n").as_bytes(),
        &gzip(&mislabelled),
    ]
    .concat();
    let warc = [
        warc_record("response", "https://ar.example/1", &[], &plain),
        warc_record("response", "https://ar.example/2", &[], &compressed),
    ]
    .concat();
    write_bytes(&ws, "arabic.warc.gz", &gzip(&warc));
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!(code, 0, "{problems:?}");
    assert!(problems.is_empty(), "{:?}", reasons(&problems));
    assert_eq!(counts(&summary)[0], 2, "{summary}");
    assert_eq!(
        ws.ids("طنجة"),
        vec!["https://ar.example/1", "https://ar.example/2"]
    );
    assert_eq!(hit(&ws, "https://ar.example/2")["title"], "تفكيك خلية");
}

/// The same page served as `charset=utf-8`, which its bytes are not: detected, with a warning
/// naming the record, instead of a page of U+FFFD with no article.
#[test]
fn a_page_served_as_utf8_that_is_not_is_detected() {
    let ws = Workspace::new();
    let page = ARABIC_PAGE;
    let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(page);
    let header = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n";
    let response = [header.as_bytes(), &cp1256].concat();
    let warc = warc_record("response", "https://ar.example/1", &[], &response);
    write_bytes(&ws, "arabic.warc", &warc);
    let (problems, _, code) = index_json(&ws, &[]);
    assert_eq!(code, 0, "{problems:?}");
    assert_eq!(
        reasons(&problems),
        vec![
            "warning arabic.warc: https://ar.example/1: the page declares UTF-8 but is not valid UTF-8; decoded as windows-1256 (detected)"
        ]
    );
    assert_eq!(ws.ids("طنجة"), vec!["https://ar.example/1"]);
    // A page of UTF-8 with one bad byte is UTF-8, its bad byte counted, as in a saved page.
    let mut damaged = ARABIC_PAGE.as_bytes().to_vec();
    let at = damaged.len() / 2;
    damaged[at..at + 2].copy_from_slice(b"\xff\xff");
    let response = [header.as_bytes(), &damaged].concat();
    write_bytes(
        &ws,
        "arabic.warc",
        &warc_record("response", "https://ar.example/1", &[], &response),
    );
    let (problems, _, _) = index_json(&ws, &[]);
    let found = reasons(&problems);
    assert!(
        found.iter().any(
            |r| r.starts_with("warning arabic.warc: https://ar.example/1: ")
                && r.contains("are not valid UTF-8 and were replaced by U+FFFD")
        ),
        "{found:?}"
    );
}

#[test]
fn a_truncated_warc_keeps_the_records_before_the_damage() {
    let ws = Workspace::new();
    let records = crawl(&PAGES);
    let plain = records.concat();
    // Cut inside the second page's response record.
    let second = records[..4].concat().len();
    write_bytes(&ws, "cut.warc", &plain[..second + 300]);
    // Other pages in the compressed copy, so that no id is in both files.
    let other = crawl(&[
        (
            "https://news.example/b/1",
            "First",
            "First compressed page of the crawl.",
        ),
        (
            "https://news.example/b/2",
            "Second",
            "Second compressed page of the crawl.",
        ),
    ]);
    let members: Vec<Vec<u8>> = other.iter().map(|r| gzip(r)).collect();
    let compressed = members.concat();
    let cut_at = members[..4].concat().len() + members[4].len() / 2;
    write_bytes(&ws, "cut.warc.gz", &compressed[..cut_at]);
    ws.write("other.txt", "Other\n\nan unrelated article\n");
    let (problems, _, code) = index_json(&ws, &[]);
    assert_eq!(code, 1);
    let reasons = reasons(&problems);
    assert_eq!(
        reasons,
        vec![
            format!(
                "failed cut.warc: WARC record at byte {second} of the file: record cut short (truncated file); the records before it are indexed"
            ),
            format!(
                "failed cut.warc.gz: gzip data cut short at byte {cut_at} (truncated file); the records before it are indexed"
            ),
        ]
    );
    let ids = all_ids(&ws);
    assert!(ids.contains("https://news.example/a/1"), "{ids:?}");
    assert!(ids.contains("https://news.example/b/1"), "{ids:?}");
    assert!(!ids.contains("https://news.example/a/2"), "{ids:?}");
    assert!(!ids.contains("https://news.example/b/2"), "{ids:?}");
    assert!(ids.contains("other.txt"));
    // The failure is reported again by the next run, which reads nothing.
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!((code, problems.len()), (1, 2));
    assert_eq!(summary["files"], 0);
}

#[test]
fn a_warc_whose_records_cannot_be_read_keeps_what_the_index_holds() {
    let ws = Workspace::new();
    let path = write_bytes(&ws, "site.warc", &crawl(&PAGES).concat());
    let (_, summary, _) = index_json(&ws, &[]);
    assert_eq!(summary["documents"], 2);
    std::fs::write(&path, b"this is not a web archive at all\n").unwrap();
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!(code, 1);
    assert!(
        reasons(&problems)[0]
            .contains("site.warc: WARC record at byte 0 of the file: not a WARC record"),
        "{problems:?}"
    );
    assert_eq!(summary["documents"], 2);
}

#[test]
fn a_changed_warc_is_read_again_and_an_unchanged_one_is_not() {
    let ws = Workspace::new();
    let path = write_bytes(&ws, "site.warc", &crawl(&PAGES).concat());
    index_json(&ws, &[]);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes).unwrap();
    let (problems, summary, _) = index_json(&ws, &[]);
    assert_eq!(counts(&summary), [0, 0, 0, 2, 0]);
    assert!(problems.is_empty(), "{problems:?}");
    let next = crawl(&[
        PAGES[1],
        (
            "https://news.example/a/9",
            "Navy intercepts fishing boat",
            "The navy intercepted a fishing boat carrying migrants.",
        ),
    ]);
    std::fs::write(&path, next.concat()).unwrap();
    let (_, summary, _) = index_json(&ws, &[]);
    assert_eq!(counts(&summary), [1, 1, 1, 0, 0]);
    assert!(ws.ids("smuggling").is_empty());
    assert_eq!(ws.ids("navy"), vec!["https://news.example/a/9"]);
}

/// A WARC larger than `--max-file-size` is read record by record; a record larger than it is
/// skipped without being held.
#[test]
fn a_warc_is_streamed_whatever_its_size() {
    let ws = Workspace::new();
    let mut records = crawl(&PAGES);
    let big = vec![b'x'; 3_000_000];
    records.push(warc_record(
        "response",
        "https://news.example/video.mp4",
        &[],
        &http("200 OK", "video/mp4", &big),
    ));
    records.push(response(
        "https://news.example/a/last",
        "Last page after a large record",
        "Officials confirmed the arrests after the large record.",
    ));
    write_bytes(&ws, "big.warc", &records.concat());
    let (problems, summary, code) = index_json(&ws, &["--max-file-size", "1"]);
    assert_eq!(code, 0, "{problems:?}");
    assert_eq!(summary["documents"], 3);
    let reasons = reasons(&problems);
    assert!(
        reasons[0].contains("big.warc: WARC record at byte")
            && reasons[0].contains("is larger than the --max-file-size of 1 MB (3 MB); skipped"),
        "{reasons:?}"
    );
    assert_eq!(ws.ids("confirmed"), vec!["https://news.example/a/last"]);
}

#[test]
fn gzip_of_every_format_is_read() {
    let ws = Workspace::new();
    let files: [(&str, String); 6] = [
        ("a.txt.gz", "Gzipped text\n\nalphaword body\n".into()),
        ("b.md.gz", "---\ntitle: Gzipped markdown\nid: md-1\n---\nbravoword body\n".into()),
        ("c.json.gz", r#"{"id": "json-1", "title": "Gzipped JSON", "body": "charlieword"}"#.into()),
        (
            "d.jsonl.gz",
            "{\"id\": \"l-1\", \"title\": \"One\", \"body\": \"deltaword\"}\n{\"id\": \"l-2\", \"title\": \"Two\", \"body\": \"echoword\"}\n".into(),
        ),
        ("e.html.gz", html_page("Gzipped page", "Foxtrotword appears in this saved page.")),
        ("f.xml.gz", rss("Gz feed", &[item("gz-1", "Gzipped feed item", "golfword text")])),
    ];
    for (name, content) in &files {
        write_bytes(&ws, name, &gzip(content.as_bytes()));
    }
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!(code, 0, "{problems:?}");
    assert_eq!(summary["added"], 7);
    assert_eq!(ws.ids("alphaword"), vec!["a.txt.gz"]);
    assert_eq!(ws.ids("bravoword"), vec!["md-1"]);
    assert_eq!(ws.ids("charlieword"), vec!["json-1"]);
    assert_eq!(ws.ids("echoword"), vec!["l-2"]);
    assert_eq!(ws.ids("foxtrotword"), vec!["e.html.gz"]);
    assert_eq!(ws.ids("golfword"), vec!["gz-1"]);
}

#[test]
fn a_truncated_gzip_keeps_the_lines_before_the_damage() {
    let ws = Workspace::new();
    let lines: String = (0..2_000)
        .map(|i| {
            format!("{{\"id\": \"n{i}\", \"title\": \"Line {i}\", \"body\": \"word{i} text\"}}\n")
        })
        .collect();
    let compressed = gzip(lines.as_bytes());
    let cut = compressed.len() * 2 / 3;
    write_bytes(&ws, "dump.jsonl.gz", &compressed[..cut]);
    write_bytes(&ws, "page.txt.gz", &gzip(b"Title\n\nsome text\n")[..15]);
    write_bytes(&ws, "fake.json.gz", b"{\"title\": \"not compressed\"}");
    ws.write("ok.txt", "Fine\n\nthe run goes on\n");
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!(code, 1);
    let reasons = reasons(&problems);
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert_eq!(
        reasons[0],
        format!(
            "failed dump.jsonl.gz: gzip data cut short at byte {cut} (truncated file); the lines before it are indexed"
        )
    );
    assert!(
        reasons[1].starts_with("failed fake.json.gz: gzip data damaged at byte"),
        "{reasons:?}"
    );
    assert!(
        reasons[2].starts_with("failed page.txt.gz: gzip data cut short at byte 15"),
        "{reasons:?}"
    );
    let indexed = summary["added"].as_u64().unwrap();
    assert!(indexed > 100 && indexed < 2_001, "{indexed}");
    assert_eq!(ws.ids("word0"), vec!["n0"]);
    assert_eq!(ws.ids("goes"), vec!["ok.txt"]);
}

#[test]
fn a_gzip_bomb_is_skipped() {
    let ws = Workspace::new();
    let zeros = vec![b' '; 3_000_000];
    let bomb = gzip(&zeros);
    assert!(bomb.len() < 10_000);
    write_bytes(&ws, "bomb.txt.gz", &bomb);
    ws.write("ok.txt", "Fine\n\nbody\n");
    let (problems, summary, code) = index_json(&ws, &["--max-file-size", "1"]);
    assert_eq!(code, 0);
    assert_eq!(
        reasons(&problems),
        vec![
            "warning bomb.txt.gz: larger than the --max-file-size of 1 MB once decompressed; skipped"
        ]
    );
    assert_eq!(summary["documents"], 1);
}

/// The largest resident set of the children this test process waited for, in bytes.
#[cfg(target_os = "linux")]
fn children_peak_memory() -> u64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage only writes the struct it is given.
    assert_eq!(
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) },
        0
    );
    usage.ru_maxrss as u64 * 1024
}

/// A 260 MB web archive (over the default --max-file-size of 256 MB) is indexed with a peak
/// memory far below its size: its records are read one at a time.
#[cfg(target_os = "linux")]
#[test]
fn a_large_warc_is_indexed_within_bounded_memory() {
    let ws = Workspace::new();
    let path = ws.archive().join("large.warc");
    std::fs::create_dir_all(ws.archive()).unwrap();
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let video = http("200 OK", "video/mp4", &vec![b'v'; 4_000_000]);
    for i in 0..65 {
        let uri = format!("https://news.example/p/{i}");
        let text = format!("Report number{i} about the smuggling case at the border.");
        file.write_all(&response(&uri, &format!("Report {i}"), &text))
            .unwrap();
        file.write_all(&warc_record("response", &format!("{uri}.mp4"), &[], &video))
            .unwrap();
    }
    file.into_inner().unwrap().sync_all().unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size > 256_000_000);
    let (problems, summary, code) = index_json(&ws, &["--memory", "64"]);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(code, 0, "{problems:?}");
    assert_eq!(summary["documents"], 65);
    let peak = children_peak_memory();
    assert!(
        peak < size / 2,
        "peak {peak} bytes for a {size}-byte archive"
    );
    assert_eq!(ws.ids("number64"), vec!["https://news.example/p/64"]);
}

/// A run stopped (SIGINT) while it reads a web archive stops inside it, commits what it read,
/// and the next run reads the archive again whole: every page once, nothing left over.
#[cfg(unix)]
#[test]
fn a_run_stopped_inside_a_warc_is_finished_by_the_next() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};

    const PAGES: usize = 3000;
    let ws = Workspace::new();
    // A damaged first record: its failure is the first line the run prints.
    let mut warc = warc_record("response", "https://x.example/bad", &[], b"garbage");
    for i in 0..PAGES {
        warc.extend(response(
            &format!("https://x.example/{i}"),
            &format!("Page {i}"),
            &format!("Unique token page{i} in a report about border security."),
        ));
    }
    write_bytes(&ws, "big.warc", &warc);
    let mut job = Command::new(assert_cmd::cargo::cargo_bin("rasd"))
        .env("RASD_INDEX", ws.index_path())
        .args(["index", "--json", "--commit-every", "100"])
        .arg(ws.archive())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(job.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(
        first.contains("https://x.example/bad") || first.contains("byte 0"),
        "{first}"
    );
    let pid = libc::pid_t::try_from(job.id()).unwrap();
    // SAFETY: kill has no memory effects; the child is ours and not yet reaped.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let mut stderr = String::new();
    job.stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let code = job.wait().unwrap().code().expect("an exit status");
    let summary: Value = serde_json::from_str(rest.lines().last().unwrap()).unwrap();
    if code == 130 {
        assert_eq!(summary["interrupted"], true);
        let kept = summary["documents"].as_u64().unwrap();
        assert!(kept < PAGES as u64, "{summary}");
        // The archive is not counted as read, and the line says it was stopped inside.
        assert_eq!(
            (&summary["files"], &summary["partly_read"]),
            (&0.into(), &1.into())
        );
        assert!(
            stderr
                .contains("0 of 1 files indexed and committed, and what was read of 1 web archive"),
            "{stderr}"
        );
    } else {
        // The run ended before the signal came.
        assert_eq!(code, 1, "{rest}");
    }
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!(code, 1, "{problems:?}");
    assert_eq!(summary["documents"], PAGES as u64);
    assert_eq!(all_ids(&ws).len(), PAGES);
    assert_eq!(ws.ids("page2999"), vec!["https://x.example/2999"]);
    // Then the archive is settled: nothing more to read.
    let (_, summary, _) = index_json(&ws, &[]);
    assert_eq!(summary["files"], 0);
    assert_eq!(summary["unchanged"], PAGES as u64);
}

#[test]
fn a_stray_nul_byte_costs_a_text_nothing_but_a_warning() {
    let ws = Workspace::new();
    let text = "تفكيك خلية إرهابية\n\nأعلنت المصالح الأمنية تفكيك خلية\0 إرهابية تنشط في تهريب الأسلحة عبر الحدود.\n";
    write_bytes(&ws, "damaged.txt", text.as_bytes());
    write_bytes(
        &ws,
        "image.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    );
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!(code, 0, "{problems:?}");
    assert_eq!(summary["added"], 1, "{summary}");
    let found = reasons(&problems);
    assert!(
        found
            .iter()
            .any(|r| r.contains("damaged.txt")
                && r.contains("1 NUL bytes in the text were left out")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|r| r.contains("image.txt") && r.contains("binary file")),
        "{found:?}"
    );
    let hits = ws.search("تهريب الأسلحة");
    assert_eq!(hits.len(), 1);
    assert!(!hits[0].to_string().contains("\\u0000"), "{}", hits[0]);
}

#[test]
fn a_page_captured_twice_in_a_web_archive_names_both_records() {
    let ws = Workspace::new();
    let first = response(PAGES[0].0, PAGES[0].1, PAGES[0].2);
    let again = response(
        PAGES[0].0,
        "Police dismantle smuggling ring (updated)",
        PAGES[0].2,
    );
    let other = response(PAGES[1].0, PAGES[1].1, PAGES[1].2);
    let second_at = first.len() + other.len();
    write_bytes(&ws, "crawl.warc", &[first, other, again].concat());
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!(code, 0, "{problems:?}");
    assert_eq!(counts(&summary), [2, 0, 0, 0, 0], "{summary}");
    let expected = format!(
        "warning crawl.warc: the WARC record at byte {second_at} repeats the id `{}` of the WARC \
         record at byte 0; the later article is kept",
        PAGES[0].0
    );
    assert_eq!(reasons(&problems), vec![expected]);
    assert_eq!(
        hit(&ws, PAGES[0].0)["title"],
        "Police dismantle smuggling ring (updated)"
    );
}

#[test]
fn a_crawlers_dns_records_are_no_pages_and_no_failures() {
    let ws = Workspace::new();
    let lookup = b"20240312100000\nnews.example.\t300\tIN\tA\t192.0.2.7\n";
    let mut dns = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: dns:news.example\r\nWARC-Date: 2024-03-12T10:00:00Z\r\nContent-Type: text/dns\r\nContent-Length: {}\r\n\r\n",
        lookup.len()
    )
    .into_bytes();
    dns.extend_from_slice(lookup);
    dns.extend_from_slice(b"\r\n\r\n");
    // Its URI says what it is, whatever content type a tool gave it.
    let labelled_http = warc_record("response", "dns:other.example", &[], lookup);
    let page = response(PAGES[0].0, PAGES[0].1, PAGES[0].2);
    write_bytes(&ws, "crawl.warc", &[dns, labelled_http, page].concat());
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!(code, 0, "{problems:?}");
    assert_eq!(counts(&summary), [1, 0, 0, 0, 0], "{summary}");
    assert_eq!(
        reasons(&problems),
        vec!["warning crawl.warc: 2 records skipped: 2 not HTML"]
    );
}

#[test]
fn a_gzip_bomb_inside_a_web_archive_record_is_skipped_in_bounded_memory() {
    let ws = Workspace::new();
    // 64 MB of spaces in a page: about 64 KB of gzip, compressed a megabyte at a time, as
    // other tests measure the memory of rasd processes this process starts.
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(b"<html><body><p>").unwrap();
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..64 {
        encoder.write_all(&spaces).unwrap();
    }
    encoder.write_all(b"</p></body></html>").unwrap();
    let mut http =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
    http.extend_from_slice(&encoder.finish().unwrap());
    let bomb = warc_record("response", "https://news.example/bomb", &[], &http);
    let good = response(PAGES[1].0, PAGES[1].1, PAGES[1].2);
    write_bytes(&ws, "crawl.warc", &[bomb, good].concat());
    let (problems, summary, code) = index_json(&ws, &["--max-file-size", "10"]);
    assert_eq!(code, 0, "{problems:?}");
    assert_eq!(counts(&summary), [1, 0, 0, 0, 0], "{summary}");
    let found = reasons(&problems);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("WARC record at byte 0 of the file: a page larger than the --max-file-size of 10 MB once decompressed; skipped"),
        "{found:?}"
    );
}

#[test]
fn a_legacy_feed_and_a_page_whose_declaration_lies_are_read_in_their_real_encoding() {
    let ws = Workspace::new();
    let feed = rss(
        "خلاصة",
        &[item(
            "1",
            "تفكيك خلية إرهابية",
            "أعلنت السلطات تفكيك خلية إرهابية في المدينة",
        )],
    )
    .replacen("encoding=\"UTF-8\"", "encoding=\"windows-1256\"", 1);
    assert!(feed.contains("windows-1256"), "{feed}");
    let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(&feed);
    write_bytes(&ws, "legacy.rss", &cp1256);
    // Saved again as UTF-8, the page kept its old declaration.
    let page = "<html><head><meta charset=\"windows-1256\"><title>ترميز</title></head><body><article><h1>اعتقال مهربين</h1><p>أعلنت السلطات الأمنية اعتقال مهربين على الحدود في عملية نوعية شملت عدة مدن.</p></article></body></html>";
    write_bytes(&ws, "resaved.html", page.as_bytes());
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!(code, 0, "{problems:?}");
    assert_eq!(counts(&summary), [2, 0, 0, 0, 0], "{summary}");
    assert_eq!(
        reasons(&problems),
        vec!["warning resaved.html: the page declares windows-1256 but is UTF-8; decoded as UTF-8"]
    );
    assert_eq!(ws.ids("خلية").len(), 1);
    assert_eq!(ws.ids("مهربين").len(), 1);
}

#[test]
fn a_record_that_lies_about_its_length_costs_only_itself() {
    let ws = Workspace::new();
    let first = response(PAGES[0].0, PAGES[0].1, PAGES[0].2);
    let lying = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/lie\r\nContent-Length: 99999999999999999999999\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<p>x</p>\r\n\r\n".to_vec();
    let last = response(PAGES[1].0, PAGES[1].1, PAGES[1].2);
    let lying_at = first.len();
    write_bytes(&ws, "crawl.warc", &[first, lying, last].concat());
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!(code, 1, "{problems:?}");
    assert_eq!(counts(&summary), [2, 0, 0, 0, 1], "{summary}");
    assert_eq!(
        reasons(&problems),
        vec![format!(
            "failed crawl.warc: WARC record at byte {lying_at} of the file: WARC record without a valid Content-Length; skipped to the next record"
        )]
    );
}

/// In a `.warc.gz` written a record per gzip member, a record that cannot be read loses its
/// member: a WARC record its block quotes (a page about web archives, a capture of a `.warc`
/// file) is not read as a page of the archive under its own URL. Read plain, nothing tells
/// the quoted record from a real one after the damage.
#[test]
fn a_record_quoted_in_a_damaged_records_block_is_no_page_of_the_archive() {
    let ws = Workspace::new();
    let quoted = response(
        "https://forged.example/planted",
        "Planted article",
        "A record quoted inside another record's block.",
    );
    let mut lying = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/lie\r\nContent-Length: many\r\n\r\n".to_vec();
    lying.extend_from_slice(&quoted);
    let records = [
        response(PAGES[0].0, PAGES[0].1, PAGES[0].2),
        lying,
        response(PAGES[1].0, PAGES[1].1, PAGES[1].2),
    ];
    let lying_at: usize = records[0].len();
    let per_record: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    write_bytes(&ws, "crawl.warc.gz", &per_record);
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!(code, 1, "{problems:?}");
    assert_eq!(counts(&summary), [2, 0, 0, 0, 1], "{summary}");
    assert_eq!(
        all_ids(&ws),
        BTreeSet::from([PAGES[0].0.to_string(), PAGES[1].0.to_string()])
    );
    assert_eq!(
        reasons(&problems),
        vec![format!(
            "failed crawl.warc.gz: WARC record at byte {lying_at} of the decompressed archive: WARC record without a valid Content-Length; skipped to the next gzip member"
        )]
    );
    // A `.warc.gz` that holds several records in a member is read on at the next record,
    // as a plain `.warc` is.
    std::fs::remove_file(ws.archive().join("crawl.warc.gz")).unwrap();
    write_bytes(&ws, "crawl.warc.gz", &gzip(&records.concat()));
    let (problems, _, _) = index_json(&ws, &[]);
    assert!(
        reasons(&problems)[0].ends_with("skipped to the next record"),
        "{problems:?}"
    );
    assert_eq!(all_ids(&ws).len(), 3);
    // A `Content-Length` too short leaves the rest of the block, quoted record included, to
    // be read as what follows the record: in a file of a record per member, it is skipped
    // with the member too.
    let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>How web archives store pages:</p><pre>\r\n".to_vec();
    let told = block.len() - 10;
    block.extend_from_slice(&quoted);
    let mut short = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/short\r\nContent-Length: {told}\r\n\r\n"
    )
    .into_bytes();
    short.extend_from_slice(&block);
    short.extend_from_slice(b"\r\n\r\n");
    let records = [
        response(PAGES[0].0, PAGES[0].1, PAGES[0].2),
        short,
        response(PAGES[1].0, PAGES[1].1, PAGES[1].2),
    ];
    std::fs::remove_file(ws.archive().join("crawl.warc.gz")).unwrap();
    write_bytes(
        &ws,
        "crawl.warc.gz",
        &records.iter().flat_map(|r| gzip(r)).collect::<Vec<_>>(),
    );
    let (problems, _, _) = index_json(&ws, &[]);
    let failed: Vec<_> = reasons(&problems)
        .into_iter()
        .filter(|r| r.starts_with("failed"))
        .collect();
    assert_eq!(failed.len(), 1, "{problems:?}");
    assert!(
        failed[0].ends_with("not a WARC record (expected a `WARC/1.0` or `WARC/1.1` line); skipped to the next gzip member"),
        "{problems:?}"
    );
    assert!(!all_ids(&ws).contains("https://forged.example/planted"));
}

/// In a `.warc.gz` of a record per member, a `Content-Length` too large stops at the next
/// member that starts a record, instead of taking the records after it into its block; a
/// record a writer split across members is still read whole.
#[test]
fn a_content_length_too_large_costs_only_its_record() {
    let ws = Workspace::new();
    let page = numbered_page;
    let mut lying = page(2);
    let told = lying.len() * 4;
    let at = lying
        .windows(16)
        .position(|w| w == b"Content-Length: ")
        .unwrap();
    let end = at + lying[at..].iter().position(|&b| b == b'\r').unwrap();
    lying.splice(at..end, format!("Content-Length: {told}").into_bytes());
    let split = page(5);
    let half = split.len() / 2;
    let members = [
        gzip(&page(1)),
        gzip(&lying),
        gzip(&page(3)),
        gzip(&page(4)),
        gzip(&split[..half]),
        gzip(&split[half..]),
        gzip(&page(6)),
    ];
    write_bytes(&ws, "crawl.warc.gz", &members.concat());
    let (problems, _, _) = index_json(&ws, &[]);
    let lying_at = page(1).len();
    assert_eq!(
        reasons(&problems),
        vec![format!(
            "failed crawl.warc.gz: WARC record at byte {lying_at} of the decompressed archive: its Content-Length runs past its gzip member, into the next record; skipped to the next gzip member"
        )]
    );
    let expected: BTreeSet<String> = [1, 3, 4, 5, 6]
        .iter()
        .map(|n| format!("https://news.example/p/{n}"))
        .collect();
    assert_eq!(all_ids(&ws), expected);
}

#[test]
fn one_bad_item_does_not_cost_a_feed_its_other_items() {
    let ws = Workspace::new();
    let good = item(
        "1",
        "تفكيك خلية إرهابية",
        "أعلنت السلطات تفكيك خلية إرهابية",
    );
    let zero = item("2", "حجز أسلحة &#0; في المدينة", "حجز أسلحة وذخائر في مخبأ");
    ws.write("zero.rss", &rss("خلاصة", &[good, zero]));
    let cut = rss(
        "أخرى",
        &[item("3", "تهريب الوقود", "إحباط تهريب الوقود عبر الحدود")],
    );
    let cut = cut.replace("</channel>\n</rss>\n", "<item><title>مقطوع</channel>");
    ws.write("cut.rss", &cut);
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!(code, 1, "{problems:?}");
    assert_eq!(counts(&summary)[0], 3, "{summary}");
    let found = reasons(&problems);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("failed cut.rss: invalid feed after item 1: ")
            && found[0].ends_with("; the 1 items before it are indexed"),
        "{found:?}"
    );
    assert_eq!(ws.ids("أسلحة").len(), 1);
}

#[test]
fn dates_a_feed_or_a_page_gives_that_cannot_be_read_are_reported() {
    let ws = Workspace::new();
    let mut yesterday = item("1", "تفكيك خلية", "أعلنت السلطات تفكيك خلية إرهابية");
    yesterday.date = "yesterday";
    ws.write("wire.rss", &rss("خلاصة", &[yesterday]));
    ws.write(
        "page.html",
        "<html><head><meta property=\"article:published_time\" content=\"99999-01-01\"><title>t</title></head><body><article><p>أعلنت السلطات الأمنية تفكيك خلية إرهابية تتكون من خمسة عناصر كانت تخطط لهجمات في عدة مدن.</p></article></body></html>",
    );
    let (problems, summary, code) = index_json(&ws, &[]);
    assert_eq!(code, 0, "{problems:?}");
    assert_eq!(counts(&summary), [2, 0, 0, 0, 0], "{summary}");
    let found = reasons(&problems);
    assert_eq!(
        found,
        vec![
            "warning page.html: invalid date `99999-01-01` (expected YYYY-MM-DD or RFC 3339); indexed without a date",
            "warning wire.rss: item 1: invalid date `yesterday` (expected YYYY-MM-DD or RFC 3339); indexed without a date",
        ]
    );
}
