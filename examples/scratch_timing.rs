use rasd::search::{self, QueryOptions, SearchRequest};
use rasd::store::RasdIndex;
use std::time::Instant;
fn main() {
    let t0 = Instant::now();
    let args: Vec<String> = std::env::args().collect();
    let t = Instant::now();
    let index = RasdIndex::open(std::path::Path::new(&args[1])).unwrap();
    let open = t.elapsed();
    let t = Instant::now();
    let searcher = index.searcher().unwrap();
    let s = t.elapsed();
    let t = Instant::now();
    let q = rasd::search::query::parse_query(&index, &searcher, &args[2], QueryOptions::default())
        .unwrap();
    let p = t.elapsed();
    let t = Instant::now();
    let n = searcher.search(&*q, &tantivy::collector::Count).unwrap();
    let c = t.elapsed();
    let t = Instant::now();
    let top = searcher
        .search(
            &*q,
            &tantivy::collector::TopDocs::with_limit(10).order_by_score(),
        )
        .unwrap();
    let tp = t.elapsed();
    let t = Instant::now();
    let r = search::search(
        &index,
        &SearchRequest {
            query: args[2].clone(),
            limit: 10,
            offset: 0,
            options: QueryOptions::default(),
        },
    )
    .unwrap();
    let f = t.elapsed();
    eprintln!(
        "open {open:?} searcher {s:?} parse {p:?} count {c:?} top {tp:?} ({} {n}) full-again {f:?} total {:?}",
        top.len(),
        t0.elapsed()
    );
    let _ = r;
}
