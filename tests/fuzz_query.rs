//! Fuzzing of the query pipeline through the library: parsing, date rewriting, expansion,
//! building and searching must answer every query with hits or an error, never a panic. The
//! reproducers of issue 10 are fixed cases; proptest adds a bounded number of random ones.

use proptest::prelude::*;
use rasd::article::{Article, Metadata};
use rasd::schema::IndexSchema;
use rasd::search::{self, Filters, SearchRequest, SortOrder};
use rasd::store::RasdIndex;
use std::sync::OnceLock;
use time::macros::datetime;

/// A small index shared by every case: Arabic, French and English articles, dated or not.
fn index() -> &'static RasdIndex {
    static INDEX: OnceLock<RasdIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let article = |id: &str, title: &str, body: &str, lang: &str, dated: bool| Article {
            id: id.into(),
            path: format!("/archive/{id}.txt"),
            title: title.into(),
            body: body.into(),
            date: dated.then_some(datetime!(2024-03-12 08:30 UTC)),
            meta: Metadata {
                source: Some("Hespress".into()),
                lang: Some(lang.into()),
                tags: vec!["terror".into()],
                ..Metadata::default()
            },
            cut: false,
            after_damage: false,
        };
        let articles = [
            article(
                "ar",
                "تفكيك خلية إرهابية",
                "أعلنت الشرطة تفكيك خلية لداعش وبالحدود",
                "ar",
                true,
            ),
            article(
                "fr",
                "Démantèlement d'une cellule",
                "La police a arrêté les suspects",
                "fr",
                true,
            ),
            article(
                "en",
                "Police raid",
                "The police arrested the suspects of the attack",
                "en",
                false,
            ),
        ];
        let index = RasdIndex::in_memory(IndexSchema::builtin()).unwrap();
        index.add_articles(&articles).unwrap();
        index
    })
}

/// Runs `query` (and its explanation) with every sort order; only panics matter.
fn run(query: &str) {
    for sort in [SortOrder::Relevance, SortOrder::Newest] {
        let request = SearchRequest {
            query: query.to_string(),
            limit: 5,
            sort,
            ..SearchRequest::default()
        };
        let _ = search::search(index(), &request);
    }
    let searcher = index().searcher().unwrap();
    let vocabulary = search::Vocabulary::builtin();
    let _ = search::describe_query(index(), &searcher, query, Default::default(), vocabulary);
}

#[test]
fn issue_10_reproducers_are_errors() {
    let open = "(".repeat(3_000);
    let balanced = format!("{}a{}", "(".repeat(8_500), ")".repeat(8_500));
    let nots = "NOT ".repeat(3_000);
    for query in [
        "date:9999-12-31",
        "date:0000-01-01T00:00:00+01:00",
        "date:>=9999-12-31T23:00:00-02:00",
        "date:[2300 TO *]",
        open.as_str(),
        balanced.as_str(),
        nots.as_str(),
    ] {
        let request = SearchRequest {
            query: query.to_string(),
            limit: 10,
            ..SearchRequest::default()
        };
        assert!(
            matches!(
                search::search(index(), &request),
                Err(rasd::Error::Query(_))
            ),
            "{query:.40}"
        );
    }
}

#[test]
fn issue_10_filters_and_pages_are_errors_or_bounded() {
    for (since, until) in [
        (Some("9999-12-31"), None),
        (None, Some("9999-12-31")),
        (Some("9999-12-31T23:00:00-02:00"), None),
        (None, Some("1600")),
    ] {
        let request = SearchRequest {
            query: "police".into(),
            limit: 10,
            filters: Filters {
                since: since.map(String::from),
                until: until.map(String::from),
                ..Filters::default()
            },
            ..SearchRequest::default()
        };
        // A flag's value, not the query, is wrong.
        assert!(matches!(
            search::search(index(), &request),
            Err(rasd::Error::Usage(_))
        ));
    }
    let too_many = SearchRequest {
        query: "police".into(),
        limit: usize::MAX,
        ..SearchRequest::default()
    };
    assert!(search::search(index(), &too_many).is_err());
    let largest = SearchRequest {
        query: "police".into(),
        limit: search::MAX_LIMIT,
        offset: search::MAX_OFFSET,
        ..SearchRequest::default()
    };
    let first_page = SearchRequest {
        query: "police".into(),
        limit: 10,
        ..SearchRequest::default()
    };
    let matching = search::search(index(), &first_page).unwrap().total;
    assert!(matching >= 2, "{matching}");
    assert_eq!(search::search(index(), &largest).unwrap().total, matching);
}

/// Pieces queries are made of: words in three scripts, operators, fields, dates, controls.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "الشرطة",
            "داعش",
            "خلية",
            "إرهاب",
            "police",
            "cellule",
            "attack",
            "٢٠٢٤",
        ])
        .prop_map(String::from),
        prop::sample::select(vec![
            "AND", "OR", "NOT", "+", "-", "(", ")", "\"", ":", "[", "]", "{", "}", "TO", "*", "~",
            "~2", "~9", "^", "^2.5", "'", "\\", "IN", ">=", "<",
        ])
        .prop_map(String::from),
        prop::sample::select(vec![
            "title:", "body:", "date:", "source:", "lang:", "exact:", "url:", "path:", "tags:",
            "author:", "./",
        ])
        .prop_map(String::from),
        "[0-9]{1,4}(-[0-9]{1,2}){0,2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2}))?",
        "[a-zA-Z\u{0621}-\u{064A}]{30,200}",
        "[\u{0}-\u{1f}\u{200e}\u{200f}\u{202a}-\u{202e}\u{feff}]{1,3}",
        "\\PC{1,8}",
    ]
}

/// A query: pieces joined by nothing or by a space.
fn query() -> impl Strategy<Value = String> {
    prop::collection::vec((piece(), any::<bool>()), 0..16).prop_map(|pieces| {
        pieces
            .into_iter()
            .map(|(p, spaced)| if spaced { format!("{p} ") } else { p })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_query_panics(query in query()) {
        run(&query);
    }

    #[test]
    fn no_arbitrary_text_panics(text in "\\PC{0,64}") {
        run(&text);
    }

    #[test]
    fn no_filter_panics(since in "\\PC{0,12}|[0-9]{4}(-[0-9]{2}){0,2}", until in "[0-9]{4}(-[0-9]{2}){0,2}", lang in "\\PC{0,8}|arabic|français|de", limit in 0..20usize, offset in 0..20usize) {
        let request = SearchRequest {
            query: "police OR الشرطة".into(),
            limit,
            offset,
            filters: Filters { since: Some(since), until: Some(until), langs: vec![lang], ..Filters::default() },
            ..SearchRequest::default()
        };
        let _ = search::search(index(), &request);
    }
}
