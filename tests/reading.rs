//! End-to-end tests of reading results on a terminal (issue 13): lines wrapped to a width,
//! Arabic in visual order, score explanations about articles, the typed word highlighted
//! first, facet counts that add up.

mod common;

use common::{Workspace, article};
use serde_json::Value;

/// The stdout of a successful `rasd` run.
fn stdout(ws: &Workspace, args: &[&str]) -> String {
    let output = ws.rasd().args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn facet_counts_add_up_to_the_matches() {
    let ws = Workspace::new();
    let line = |id: &str, extra: &str| {
        format!("{{\"id\":\"{id}\",{extra}\"lang\":\"ar\",\"title\":\"خلية\",\"body\":\"خلية\"}}\n")
    };
    let feed = [
        line(
            "a1",
            "\"source\":\"Maghreb Post\",\"date\":\"2019-03-01\",\"tags\":[\"x\"],",
        ),
        line("a2", "\"source\":\"Maghreb Post\",\"date\":\"2020-03-01\","),
        line("a3", ""),
    ]
    .concat();
    ws.write("feed.jsonl", &feed);
    ws.write("plain.txt", &article("خلية أخرى", "نص عن خلية."));
    ws.index().success();
    let text = stdout(
        &ws,
        &["search", "--facets", "source,year,tags,lang", "خلية"],
    );
    assert!(text.contains("4 articles matched"), "{text}");
    assert!(
        text.contains("source: Maghreb Post 2, (none) 2\n"),
        "{text}"
    );
    assert!(text.contains("year: 2019 1, 2020 1, (none) 2\n"), "{text}");
    assert!(text.contains("tags: x 1, (none) 3\n"), "{text}");
    let json = stdout(
        &ws,
        &[
            "search",
            "--json",
            "--count",
            "--facets",
            "source,year,tags,lang",
            "خلية",
        ],
    );
    let lines: Vec<Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["count"], 4);
    for facet in ["source", "year", "lang"] {
        let pairs = lines[1]["facets"][facet].as_array().unwrap();
        let sum: u64 = pairs.iter().map(|p| p[1].as_u64().unwrap()).sum();
        assert_eq!(sum, 4, "{facet}: {pairs:?}");
    }
    assert_eq!(
        lines[1]["facets"]["source"],
        serde_json::json!([["Maghreb Post", 2], [null, 2]])
    );
}
