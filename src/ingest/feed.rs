//! RSS 2.0 and Atom feeds (`.xml`, `.rss`, `.atom`), read with `feed-rs`: one article per
//! item or entry.
//!
//! feed-rs parses with quick-xml, which never expands an entity a document declares: the
//! "billion laughs" stay the text `&lol9;` and a `SYSTEM` entity is never read, so an
//! untrusted feed can neither blow memory up nor read a local file (tests below).

use feed_rs::model::{Entry, Text};

use super::formats::{FormatError, Parsed, Record};
use super::html::{HtmlError, html_to_text};
use crate::article::Metadata;

/// Why an XML file gave no article: its root is not a feed's (a sitemap, any other XML).
pub const NOT_A_FEED: &str = "not an RSS or Atom feed (no <rss> or <feed> root element); skipped";

/// Parses a feed's text, decoded already: each item a record numbered from 1 (`item`), with
/// its guid (or else its link) as id. A feed damaged after some items keeps those.
pub fn parse_feed(feed_text: &str) -> Parsed {
    let utf8 = declaring_utf8(feed_text);
    let xml = without_forbidden_references(&utf8);
    let (feed, damage) = match parse(&xml) {
        Ok(feed) => (feed, None),
        Err(feed_rs::parser::ParseFeedError::ParseError(_)) => {
            return Parsed {
                records: vec![],
                errors: vec![FormatError {
                    line: None,
                    reason: NOT_A_FEED.into(),
                }],
            };
        }
        Err(e) => match salvage(&xml) {
            Some(feed) => {
                let kept = feed.entries.len();
                let reason = format!(
                    "invalid feed after item {kept}: {e}; the {kept} items before it are indexed"
                );
                (feed, Some(reason))
            }
            None => {
                return Parsed {
                    records: vec![],
                    errors: vec![FormatError {
                        line: None,
                        reason: format!("invalid feed: {e}"),
                    }],
                };
            }
        },
    };
    // A feed title nested too deep is no title.
    let source = feed
        .title
        .as_ref()
        .and_then(|t| text(t).ok())
        .filter(|t| !t.is_empty());
    let lang = feed.language.clone();
    let (mut records, mut errors) = (vec![], vec![]);
    // The dates as written, for those the parser could not read, which it leaves out: rasd
    // then says so (`invalid date `yesterday``), as for any other article.
    let written = written_dates(&xml);
    let written = (written.len() == feed.entries.len()).then_some(written);
    for (i, entry) in feed.entries.into_iter().enumerate() {
        match record(entry, source.clone(), lang.clone()) {
            Ok(record) => records.push(Record {
                item: Some(i + 1),
                date: record.date.or_else(|| written.as_ref()?[i].clone()),
                ..record
            }),
            Err(e) => errors.push(FormatError {
                line: None,
                reason: format!("item {}: {e}; skipped", i + 1),
            }),
        }
    }
    errors.extend(damage.map(|reason| FormatError { line: None, reason }));
    Parsed { records, errors }
}

/// The date each item or entry of a feed's text gives, as written (`pubDate`, `published`,
/// `updated`, `dc:date`), in the order of the items.
fn written_dates(text: &str) -> Vec<Option<String>> {
    let starts = |tag: &'static str| {
        text.match_indices(tag)
            .filter(move |(at, _)| {
                text[at + tag.len()..].starts_with(|c: char| c == '>' || c.is_whitespace())
            })
            .map(|(at, _)| at)
    };
    let mut items: Vec<usize> = starts("<item").chain(starts("<entry")).collect();
    items.sort_unstable();
    let ends = ["</item>", "</entry>"];
    items
        .iter()
        .map(|&start| {
            let item = &text[start..];
            let end = ends.iter().filter_map(|e| item.find(e)).min()?;
            let item = &item[..end];
            ["<pubDate>", "<published>", "<updated>", "<dc:date>"]
                .iter()
                .filter_map(|tag| {
                    let value = &item[item.find(tag)? + tag.len()..];
                    let value = value[..value.find('<')?].trim();
                    (!value.is_empty()).then(|| value.to_string())
                })
                .next()
        })
        .collect()
}

fn parse(text: &str) -> Result<feed_rs::model::Feed, feed_rs::parser::ParseFeedError> {
    // An empty id marks an item without guid: its link is its id, not a hash feed-rs made.
    feed_rs::parser::Builder::new()
        .id_generator(|_, _, _| String::new())
        .build()
        .parse(text.as_bytes())
}

/// The items of a feed damaged after them (a bad character, a tail cut or garbled): the
/// longest run of whole items from the start that parses, closed as its root needs. Parsers
/// stop at the first error, so without this one bad item would cost every item.
fn salvage(text: &str) -> Option<feed_rs::model::Feed> {
    let closing = if text.contains("<feed") && !text.contains("<rss") {
        "</feed>"
    } else if text.contains("<rdf:RDF") {
        "</rdf:RDF>"
    } else {
        "</channel></rss>"
    };
    let ends: Vec<usize> = ["</item>", "</entry>"]
        .iter()
        .flat_map(|tag| text.match_indices(tag).map(|(at, tag)| at + tag.len()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let with = |items: usize| parse(&format!("{}{closing}", &text[..ends[items - 1]])).ok();
    // Binary search for the most items that parse: a prefix parses up to the damage.
    let (mut good, mut bad) = (0, ends.len() + 1);
    let mut best = None;
    while bad - good > 1 {
        let mid = (good + bad) / 2;
        match with(mid) {
            Some(feed) => {
                good = mid;
                best = Some(feed);
            }
            None => bad = mid,
        }
    }
    best
}

/// The text with every character reference XML forbids (`&#0;`, a control character, a
/// surrogate, past U+10FFFF) written U+FFFD, as browsers and feed readers read them: the XML
/// parser would refuse the whole feed for one.
fn without_forbidden_references(text: &str) -> std::borrow::Cow<'_, str> {
    let allowed = |c: u32| matches!(c, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x1_0000..=0x10_FFFF);
    let mut out = String::new();
    let mut copied = 0;
    for (at, _) in text.match_indices("&#") {
        if at < copied {
            continue;
        }
        let rest = &text[at + 2..];
        let (digits, radix) = match rest.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (rest, 10),
        };
        let len = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        if len == 0 || !digits[len..].starts_with(';') {
            continue;
        }
        let value = u32::from_str_radix(&digits[..len], radix).unwrap_or(u32::MAX);
        if allowed(value) {
            continue;
        }
        let end = at + 2 + (rest.len() - digits.len()) + len + 1;
        out.push_str(&text[copied..at]);
        out.push_str("&#xFFFD;");
        copied = end;
    }
    if copied == 0 {
        return text.into();
    }
    out.push_str(&text[copied..]);
    out.into()
}

/// The text with its XML declaration saying UTF-8, which the text now is: the parser decodes
/// by the declaration, and would read a `windows-1256` feed, already decoded, a second time.
fn declaring_utf8(text: &str) -> std::borrow::Cow<'_, str> {
    let start = text.len() - text.trim_start().len();
    let Some(declaration) = text[start..]
        .strip_prefix("<?xml")
        .and_then(|rest| rest.find("?>").map(|end| &rest[..end]))
    else {
        return text.into();
    };
    let Some(at) = declaration.find("encoding") else {
        return text.into();
    };
    let after = &declaration[at + "encoding".len()..];
    let value = after
        .trim_start()
        .strip_prefix('=')
        .map(str::trim_start)
        .and_then(|v| {
            let quote = v.chars().next().filter(|q| matches!(q, '"' | '\''))?;
            let end = v[1..].find(quote)?;
            Some(&v[1..1 + end])
        });
    let Some(value) = value else {
        return text.into();
    };
    // Where the value sits in the text: inside the declaration, which starts at `start`.
    let value_start = value.as_ptr() as usize - text.as_ptr() as usize;
    let mut utf8 = String::with_capacity(text.len());
    utf8.push_str(&text[..value_start]);
    utf8.push_str("UTF-8");
    utf8.push_str(&text[value_start + value.len()..]);
    utf8.into()
}

/// A title or summary as text: HTML turned to text when it is HTML.
fn text(value: &Text) -> Result<String, HtmlError> {
    if value.content_type.essence().to_string().contains("html") {
        html_to_text(&value.content)
    } else {
        Ok(value.content.trim().to_string())
    }
}

fn non_empty(text: String) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// One item: `content:encoded` (or Atom content) before the description or summary; an error
/// when its HTML nests too deep to be read.
fn record(entry: Entry, source: Option<String>, lang: Option<String>) -> Result<Record, HtmlError> {
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(entry.links.first())
        .map(|l| l.href.trim().to_string())
        .filter(|l| !l.is_empty());
    let content = match entry.content.as_ref().and_then(|c| c.body.as_deref()) {
        Some(html) => non_empty(html_to_text(html)?),
        None => None,
    };
    let body = match (content, &entry.summary) {
        (Some(content), _) => Some(content),
        (None, Some(summary)) => non_empty(html_to_text(&summary.content)?),
        (None, None) => None,
    };
    let date = entry.published.or(entry.updated).map(|d| d.to_rfc3339());
    let id = non_empty(entry.id).or_else(|| link.clone());
    let title = match &entry.title {
        Some(title) => non_empty(text(title)?),
        None => None,
    };
    Ok(Record {
        id,
        title,
        body,
        date,
        meta: Metadata {
            source,
            lang: entry.language.or(lang),
            url: link,
            author: entry
                .authors
                .into_iter()
                .find_map(|a| a.name)
                .and_then(non_empty),
            tags: entry
                .categories
                .into_iter()
                .filter_map(|c| non_empty(c.label.unwrap_or(c.term)))
                .collect(),
        },
        ..Record::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Sahel Watch</title>
  <language>fr</language>
  <item>
    <title>Saisie de cocaïne à Algésiras</title>
    <link>https://sahel.example/a/1</link>
    <guid isPermaLink="false">sahel-1</guid>
    <pubDate>Tue, 12 Mar 2024 08:30:00 +0100</pubDate>
    <dc:creator>Aïcha Maïga</dc:creator>
    <category>drogue</category>
    <category>Espagne</category>
    <description>Résumé court.</description>
    <content:encoded><![CDATA[<p>La <b>Guardia Civil</b> a saisi</p><p>deux tonnes.</p>]]></content:encoded>
  </item>
  <item>
    <title>Second</title>
    <link>https://sahel.example/a/2</link>
    <description>&lt;p&gt;Texte &amp;amp; suite&lt;/p&gt;</description>
  </item>
</channel>
</rss>"#;

    #[test]
    fn a_date_the_parser_cannot_read_is_kept_as_written() {
        let feed = "<rss version=\"2.0\"><channel><title>T</title>\
            <item><guid>a</guid><title>x</title><pubDate>yesterday</pubDate></item>\
            <item><guid>b</guid><title>y</title><pubDate>Tue, 12 Mar 2024 07:30:00 GMT</pubDate></item>\
            <item><guid>c</guid><title>z</title></item></channel></rss>";
        let parsed = parse_feed(feed);
        let dates: Vec<Option<&str>> = parsed.records.iter().map(|r| r.date.as_deref()).collect();
        assert_eq!(
            dates,
            [Some("yesterday"), Some("2024-03-12T07:30:00+00:00"), None]
        );
        let atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A</title><entry><id>a</id><title>t</title><updated>0000-00-00T00:00:00Z</updated></entry></feed>";
        assert_eq!(
            parse_feed(atom).records[0].date.as_deref(),
            Some("0000-00-00T00:00:00Z")
        );
    }

    #[test]
    fn a_damaged_item_costs_the_items_after_it_only() {
        let items = |n: usize| {
            (1..=n)
                .map(|i| format!("<item><guid>g{i}</guid><title>خبر {i}</title></item>"))
                .collect::<String>()
        };
        let rss = |body: String| {
            format!("<rss version=\"2.0\"><channel><title>T</title>{body}</channel></rss>")
        };
        // A forbidden character reference is only a replaced character.
        let parsed = parse_feed(&rss(format!(
            "{}<item><guid>z</guid><title>سيء &#0; &#x1;</title></item>",
            items(3)
        )));
        assert_eq!(parsed.records.len(), 4, "{:?}", parsed.errors);
        assert!(parsed.errors.is_empty());
        assert_eq!(
            parsed.records[3].title.as_deref(),
            Some("سيء \u{FFFD} \u{FFFD}")
        );
        // A tail cut or garbled: the whole items before it are kept, and the damage said.
        let cut = format!(
            "<rss version=\"2.0\"><channel><title>T</title>{}<item><title>broken</channel>",
            items(5)
        );
        let parsed = parse_feed(&cut);
        assert_eq!(parsed.records.len(), 5);
        assert_eq!(parsed.errors.len(), 1);
        assert!(
            parsed.errors[0]
                .reason
                .starts_with("invalid feed after item 5: "),
            "{:?}",
            parsed.errors
        );
        let atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A</title><entry><id>a</id><title>t</title></entry><entry><id>b</id><title>&bad</title></entry></feed>";
        let parsed = parse_feed(atom);
        assert_eq!(parsed.records.len(), 1, "{:?}", parsed.errors);
        assert_eq!(
            without_forbidden_references("a &#65; &#x41; &amp; &#xD800; &#99999999999;"),
            "a &#65; &#x41; &amp; &#xFFFD; &#xFFFD;"
        );
    }

    #[test]
    fn a_feed_declared_in_a_legacy_encoding_is_read_as_the_text_it_was_decoded_to() {
        for declaration in [
            "<?xml version=\"1.0\" encoding=\"windows-1256\"?>",
            "  <?xml version='1.0' encoding = 'ISO-8859-6' standalone='yes'?>",
        ] {
            let feed = format!(
                "{declaration}<rss version=\"2.0\"><channel><title>T</title><item><guid>g</guid>\
                 <title>خلية إرهابية</title></item></channel></rss>"
            );
            let parsed = parse_feed(&feed);
            assert_eq!(
                parsed.records[0].title.as_deref(),
                Some("خلية إرهابية"),
                "{declaration}"
            );
        }
        assert_eq!(declaring_utf8("<rss/>"), "<rss/>");
        assert_eq!(
            declaring_utf8("<?xml version=\"1.0\"?><rss/>"),
            "<?xml version=\"1.0\"?><rss/>"
        );
    }

    #[test]
    fn rss_items_are_records() {
        let parsed = parse_feed(RSS);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let [first, second] = &parsed.records[..] else {
            panic!("{:?}", parsed.records);
        };
        assert_eq!(first.id.as_deref(), Some("sahel-1"));
        assert_eq!(first.item, Some(1));
        assert_eq!(
            first.title.as_deref(),
            Some("Saisie de cocaïne à Algésiras")
        );
        assert_eq!(first.date.as_deref(), Some("2024-03-12T07:30:00+00:00"));
        assert_eq!(first.meta.url.as_deref(), Some("https://sahel.example/a/1"));
        assert_eq!(first.meta.source.as_deref(), Some("Sahel Watch"));
        assert_eq!(first.meta.lang.as_deref(), Some("fr"));
        assert_eq!(first.meta.tags, vec!["drogue", "Espagne"]);
        assert_eq!(first.meta.author.as_deref(), Some("Aïcha Maïga"));
        let body = first.body.as_deref().unwrap();
        assert!(body.contains("Guardia Civil a saisi"), "{body}");
        assert!(!body.contains('<') && !body.contains("Résumé"), "{body}");
        // No guid: the link is the id; the description's HTML is turned to text.
        assert_eq!(second.id.as_deref(), Some("https://sahel.example/a/2"));
        assert!(
            second.body.as_deref().unwrap().contains("Texte"),
            "{second:?}"
        );
        assert!(!second.body.as_deref().unwrap().contains("<p>"));
    }

    #[test]
    fn atom_entries_are_records() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>المرصد</title>
  <id>urn:x</id>
  <updated>2024-05-01T10:00:00Z</updated>
  <entry>
    <title type="html">تفكيك &lt;em&gt;خلية&lt;/em&gt;</title>
    <id>urn:entry:7</id>
    <link rel="alternate" href="https://marsad.example/7"/>
    <updated>2024-05-01T10:00:00Z</updated>
    <author><name>هيئة التحرير</name></author>
    <category term="terrorism" label="إرهاب"/>
    <content type="html">&lt;p&gt;نص المقال&lt;/p&gt;</content>
  </entry>
</feed>"#;
        let parsed = parse_feed(atom);
        let record = &parsed.records[0];
        assert_eq!(record.id.as_deref(), Some("urn:entry:7"));
        assert_eq!(record.title.as_deref(), Some("تفكيك خلية"));
        assert_eq!(record.body.as_deref(), Some("نص المقال"));
        assert_eq!(record.date.as_deref(), Some("2024-05-01T10:00:00+00:00"));
        assert_eq!(record.meta.source.as_deref(), Some("المرصد"));
        assert_eq!(record.meta.author.as_deref(), Some("هيئة التحرير"));
        assert_eq!(record.meta.tags, vec!["إرهاب"]);
    }

    #[test]
    fn xml_that_is_not_a_feed_is_an_error() {
        let parsed = parse_feed("<?xml version=\"1.0\"?><urlset><url/></urlset>");
        assert!(parsed.records.is_empty());
        assert!(parsed.errors[0].reason.contains("not an RSS or Atom feed"));
        let broken = parse_feed("<rss version=\"2.0\"><channel><item><title>x</item>");
        assert!(broken.records.len() <= 1);
    }

    /// Nine levels of ten references each would be 10^9 copies if expanded.
    #[test]
    fn entity_expansion_bombs_are_not_expanded() {
        let mut doctype = String::from("<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n");
        for level in 1..=9 {
            let refs = format!(
                "&lol{};",
                if level == 1 {
                    String::new()
                } else {
                    (level - 1).to_string()
                }
            );
            doctype.push_str(&format!("<!ENTITY lol{level} \"{}\">\n", refs.repeat(10)));
        }
        doctype.push_str("]>\n");
        let feed = format!(
            "<?xml version=\"1.0\"?>\n{doctype}<rss version=\"2.0\"><channel><title>t</title><item><title>&lol9;</title><description>boom &lol9;</description></item></channel></rss>"
        );
        let parsed = parse_feed(&feed);
        for record in &parsed.records {
            let size = record.title.as_deref().map_or(0, str::len)
                + record.body.as_deref().map_or(0, str::len);
            assert!(size < 1_000, "{record:?}");
        }
    }

    #[test]
    fn external_entities_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret.txt");
        std::fs::write(&secret, "TOP-SECRET-CONTENT").unwrap();
        let feed = format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file://{}\">]>\n<rss version=\"2.0\"><channel><title>t</title><item><title>a &xxe;</title><description>b &xxe;</description></item></channel></rss>",
            secret.display()
        );
        let parsed = parse_feed(&feed);
        for record in &parsed.records {
            let all = format!("{record:?}");
            assert!(!all.contains("TOP-SECRET"), "{all}");
        }
    }
}
