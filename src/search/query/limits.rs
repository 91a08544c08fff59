//! How long and how deep a query may be: checked before tantivy's parser sees it.

use crate::error::Error;

/// The longest query rasd accepts, in characters: ten times the longest real query seen, a
/// pasted paragraph included, and short enough that the slowest query of that length still
/// runs in a fraction of a second.
pub const MAX_QUERY_CHARS: usize = 10_000;

/// How deep a query may nest groups `(…)` and NOTs. tantivy's query parser recurses once per
/// level and overflows the stack (aborting rasd) in the low thousands.
pub const MAX_QUERY_DEPTH: usize = 100;

/// The most words with spelling variants (`word~`) in one query. Each looks its variants up
/// in every segment's term dictionary and searches up to 30 of them in every view: 200 such
/// words took 3 s and 600 MB on 20,000 articles, and the cost grows with the archive.
pub const MAX_FUZZY_WORDS: usize = 20;

/// Refuses a query too long, before anything reads it.
pub(super) fn check_query_length(text: &str) -> Result<(), Error> {
    let chars = text.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(Error::Query(format!(
            "the query is {chars} characters long; rasd accepts at most {MAX_QUERY_CHARS}"
        )));
    }
    Ok(())
}

/// Refuses a query too deeply nested, before tantivy's parser sees it: `text` as the parser
/// will read it (full-width brackets outside quotes made ASCII, those inside left as text).
pub(super) fn check_query_depth(text: &str) -> Result<(), Error> {
    if nesting_depth(text) > MAX_QUERY_DEPTH {
        return Err(Error::Query(format!(
            "the query nests groups `(…)` and NOTs more than {MAX_QUERY_DEPTH} deep"
        )));
    }
    Ok(())
}

/// [`check_query_length`], then [`check_query_depth`].
#[cfg(test)]
fn check_query_bounds(text: &str) -> Result<(), Error> {
    check_query_length(text)?;
    check_query_depth(text)
}

/// An upper bound of the levels tantivy's parser recurses through on `text`: one per `(` and
/// one per `NOT`, a `)` going back to the level of its `(`. It errs on the high side where
/// telling would take a parser of its own: the NOTs of a group add up, and once a quote or a
/// backslash appears, `)` closes nothing any more, since it may be inside a phrase.
fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut deepest) = (0, 0);
    let mut outer = Vec::new();
    let mut may_be_quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' | '\'' | '\\' => may_be_quoted = true,
            '(' => {
                outer.push(depth);
                depth += 1;
            }
            ')' if !may_be_quoted => depth = outer.pop().unwrap_or(depth),
            'N' if is_not_keyword(&text[i..]) => depth += 1,
            _ => {}
        }
        deepest = deepest.max(depth);
    }
    deepest
}

/// Whether `rest` starts with the keyword `NOT` (followed by a space, as both of tantivy's
/// parsers require).
fn is_not_keyword(rest: &str) -> bool {
    rest.strip_prefix("NOT")
        .and_then(|after| after.chars().next())
        .is_some_and(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_counts_groups_and_nots_and_errs_high_after_a_quote() {
        assert_eq!(nesting_depth("a (b OR c) AND (d OR e)"), 1);
        assert_eq!(nesting_depth("((a)) b"), 2);
        assert_eq!(nesting_depth("NOT NOT a"), 2);
        assert_eq!(nesting_depth("NOTE that NOT(a)"), 1);
        // After a quote, `)` may be inside a phrase: it closes nothing.
        assert_eq!(nesting_depth("\"x\" (a) (b)"), 2);
        assert_eq!(nesting_depth(&"(\")\" ".repeat(150)), 150);
    }

    #[test]
    fn queries_too_long_or_too_deep_are_refused_with_one_line() {
        let deep = format!("{}a{}", "(".repeat(101), ")".repeat(101));
        let long = "word ".repeat(2_001);
        for (query, expected) in [
            (
                deep.as_str(),
                "nests groups `(…)` and NOTs more than 100 deep",
            ),
            (&"(".repeat(3_000), "more than 100 deep"),
            (&"NOT ".repeat(101), "more than 100 deep"),
            (
                long.as_str(),
                "the query is 10005 characters long; rasd accepts at most 10000",
            ),
        ] {
            let Err(Error::Query(message)) = check_query_bounds(query) else {
                panic!("{query:.20} should be refused");
            };
            assert!(message.contains(expected), "{message}");
            assert!(!message.contains('\n'));
        }
        let deepest = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        assert!(check_query_bounds(&deepest).is_ok());
        assert!(check_query_bounds(&"word ".repeat(2_000)).is_ok());
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn query_bounds_never_panic(text in "\\PC{0,300}|[()\"' NOT\\\\a]{0,300}") {
            let _ = check_query_bounds(&text);
        }
    }
}
