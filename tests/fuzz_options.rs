//! Fuzzing the command line: arbitrary values for every option of `rasd search` and
//! `rasd index`, through the real binary. Whatever the values, rasd answers with a result or a
//! usage error (exit status 0, 1, 2 or 3), never a panic or an abort.

mod common;

use std::sync::OnceLock;

use common::{Workspace, article};
use proptest::prelude::*;

/// One small indexed archive shared by all cases.
fn workspace() -> &'static Workspace {
    static WORKSPACE: OnceLock<Workspace> = OnceLock::new();
    WORKSPACE.get_or_init(|| {
        let ws = Workspace::new();
        ws.write("a.txt", &article("خلية إرهابية", "تفكيك خلية في المدينة."));
        ws.write(
            "b.jsonl",
            r#"{"id":"b","title":"Réseau","body":"démantèlement d'un réseau","date":"2024-03-12","source":"X","lang":"fr","tags":["a"]}"#,
        );
        ws.index().success();
        ws
    })
}

/// Values people and scripts pass to options: numbers of every size and sign, dates near
/// and far, words, empty strings, control characters.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| n.to_string()),
        Just("1e300".to_string()),
        Just("-0".to_string()),
        Just(String::new()),
        "[0-9]{1,5}(-[0-9]{1,3}){0,2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2}))?",
        "\\PC{0,12}",
        "[a-z,]{0,20}",
    ]
}

fn assert_no_crash(output: &std::process::Output, args: &[String]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0..=3)),
        "{args:?}: {:?} {stderr}",
        output.status
    );
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn search_options_never_crash(
        option in prop::sample::select(vec![
            "-n", "--offset", "--since", "--until", "--lang", "--source", "--tag", "--sort",
            "--facets", "--format", "--bidi", "--aliases",
        ]),
        value in value(),
        query in prop_oneof![Just("خلية".to_string()), "\\PC{0,16}"],
    ) {
        let ws = workspace();
        let args = vec!["search".to_string(), format!("{option}={value}"), "--".into(), query];
        let output = ws.rasd().args(&args).output().unwrap();
        assert_no_crash(&output, &args);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn index_options_never_crash(
        option in prop::sample::select(vec![
            "--wait", "--commit-every", "--max-file-size", "--max-article-size", "--memory",
            "--encoding",
        ]),
        value in value(),
    ) {
        let ws = workspace();
        let args = vec![
            "index".to_string(),
            "-q".into(),
            format!("{option}={value}"),
            ws.archive().display().to_string(),
        ];
        let output = ws.rasd().args(&args).output().unwrap();
        assert_no_crash(&output, &args);
    }
}
