//! What deeply nested markup costs to read: a page of `depth` nested tags of one kind around a
//! paragraph, read by rasd's HTML path (`parse_html`), as a feed item's content
//! (`html_to_text`), escaped in a feed's description, and as XML elements nested in a feed's item
//! (`parse_feed`, only for kinds that close their tags), medians of `--runs` runs.
//!
//! ```text
//! cargo run --release --example nesting-bench -- --depths 10000,50000,200000 --runs 3
//! ```
//!
//! A case whose first run takes longer than `--give-up` seconds is not run again, and the
//! deeper ones of its kind are skipped (html5ever's cost grows with the square of the depth).

use std::time::{Duration, Instant};

use rasd::ingest::html::{HtmlContext, html_to_text, parse_html};

const PROSE: &str = "A paragraph of article text long enough to count as the prose of a page.";

/// The worst page under the limit: `<span>`s nested just short of it, then a megabyte of `<li>`
/// (each block tag makes the parser look through all the open elements).
fn at_the_limit(depth: usize) -> String {
    format!(
        "{}<p>{PROSE}</p>{}",
        "<span>".repeat(depth),
        "<li>".repeat(250_000)
    )
}

/// Kinds of nesting: what opens and closes one level.
const KINDS: &[(&str, &str, &str)] = &[
    ("div", "<div>", "</div>"),
    ("span", "<span>", "</span>"),
    ("b", "<b>", "</b>"),
    ("font", "<font>", "</font>"),
    ("unclosed div", "<div>", ""),
    ("unclosed b", "<b>", ""),
    ("table p", "<table><tr><td><p>", ""),
    ("ul li", "<ul><li>", ""),
];

fn main() {
    let mut depths = vec![10_000, 50_000, 200_000];
    let mut runs = 3;
    let mut give_up = 20.0;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().expect("every option takes a value");
        match arg.as_str() {
            "--depths" => {
                depths = value
                    .split(',')
                    .map(|d| d.parse().expect("depths are numbers"))
                    .collect()
            }
            "--runs" => runs = value.parse().expect("--runs is a number"),
            "--give-up" => give_up = value.parse().expect("--give-up is seconds"),
            other => panic!("unknown option {other}"),
        }
    }
    for depth in [10, rasd::ingest::html::MAX_NESTING - 6] {
        let page = at_the_limit(depth);
        let time = median(runs, give_up, &|| {
            let _ = parse_html(page.as_bytes(), &HtmlContext::default());
        });
        println!(
            "{depth} nested `<span>`, then a megabyte of `<li>`: {:.3} s",
            time.as_secs_f64()
        );
    }
    println!();
    println!("| nesting | depth | page | feed item's HTML | feed, escaped | feed, XML |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (name, open, close) in KINDS {
        let mut slow = [false; 4];
        for &depth in &depths {
            let inner = format!("<p>{PROSE}</p>");
            let page = format!("{}{inner}{}", open.repeat(depth), close.repeat(depth));
            let escaped = page.replace('&', "&amp;").replace('<', "&lt;");
            let feed = format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>\
                 <item><title>x</title><link>https://x.test/a</link><description>{escaped}</description></item>\
                 </channel></rss>"
            );
            let nested_xml = format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>\
                 <item><title>x</title><link>https://x.test/a</link>{page}</item></channel></rss>"
            );
            let cases: [&dyn Fn(); 4] = [
                &|| {
                    let _ = parse_html(page.as_bytes(), &HtmlContext::default());
                },
                &|| {
                    let _ = html_to_text(&page);
                },
                &|| {
                    let _ = rasd::ingest::feed::parse_feed(&feed);
                },
                &|| {
                    let _ = rasd::ingest::feed::parse_feed(&nested_xml);
                },
            ];
            let mut cells = vec![];
            for (i, case) in cases.iter().enumerate() {
                if slow[i] || (i == 3 && close.is_empty()) {
                    cells.push("skipped".to_string());
                    continue;
                }
                let time = median(runs, give_up, case);
                if time.as_secs_f64() > give_up {
                    slow[i] = true;
                }
                cells.push(format!("{:.3} s", time.as_secs_f64()));
            }
            println!("| {name} | {depth} | {} |", cells.join(" | "));
        }
    }
}

/// The median of `runs` timings of `f`, or the first one when it took over `give_up` seconds.
fn median(runs: usize, give_up: f64, f: &dyn Fn()) -> Duration {
    let mut times = vec![];
    for _ in 0..runs {
        let start = Instant::now();
        f();
        times.push(start.elapsed());
        if times[0].as_secs_f64() > give_up {
            return times[0];
        }
    }
    times.sort();
    times[times.len() / 2]
}
