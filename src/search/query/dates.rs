//! The date syntax of queries: `date:2024`, `date:[2024-01-01 TO 2024-06-30]`,
//! `date:>=2023-05`, each bound covering its whole day, month or year, rewritten into
//! tantivy's syntax before parsing. Reading a date is [`crate::dates`]'s job.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::analysis::normalizer::{half_width, is_invisible_mark};
use crate::dates::{self as date, DateError, Period, Side, period};
use crate::error::Error;

/// An instant in tantivy's query syntax. Periods are cut to the searchable range, which RFC
/// 3339 can always write: a failure here is a bug.
fn rfc3339(instant: OffsetDateTime) -> Result<String, Error> {
    instant
        .format(&Rfc3339)
        .map_err(|_| Error::Internal(format!("cannot write the date {instant} in a query")))
}

/// What is wrong with the date `text`, written in a query or after `flag` (`--since`…).
pub(crate) fn date_error(flag: Option<&str>, text: &str, error: DateError) -> Error {
    // Marks around a flag's value are invisible; quoted, they would stand out as escapes.
    let text = text.trim_matches(is_invisible_mark);
    // A flag's value is no part of the query.
    let kind = if flag.is_some() {
        Error::Usage
    } else {
        Error::Query
    };
    kind(match (error, flag) {
        (DateError::Invalid, None) => {
            format!("`{text}` is not a date (use YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339)")
        }
        (DateError::Invalid, Some(flag)) => {
            format!("{flag} `{text}` is not a date (use YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339)")
        }
        (DateError::OutOfRange, flag) => format!(
            "{} `{text}` is outside the range rasd can search ({})",
            flag.unwrap_or("the date"),
            date::SUPPORTED_TEXT
        ),
    })
}

/// One bound of a range, rewritten: the first instant of its period, or the first after it;
/// `*`, or a date before (after) every date the index can hold, stays open.
fn range_bound(
    folded: &Folded,
    text: &str,
    side: Side,
    pick_end: bool,
) -> Result<Option<OffsetDateTime>, Error> {
    if text == "*" {
        return Ok(None);
    }
    let period = date::bound(text, side).map_err(|e| date_error(None, folded.typed(text), e))?;
    Ok(period.map(|p| if pick_end { p.end } else { p.start }))
}

/// A bound in tantivy's syntax: the instant, or `*` when open.
fn written(bound: Option<OffsetDateTime>) -> Result<String, Error> {
    bound.map_or_else(|| Ok("*".into()), rfc3339)
}

/// One date that is no bound (`date:2024`): its period, which must overlap the instants the
/// index can hold.
fn whole(folded: &Folded, text: &str) -> Result<Period, Error> {
    period(text).map_err(|e| date_error(None, folded.typed(text), e))
}

/// The end of a date value: the first space or closing parenthesis.
fn value_end(text: &str) -> usize {
    text.find(|c: char| c.is_whitespace() || c == ')')
        .unwrap_or(text.len())
}

/// The bounds of a date range, as typed between its brackets.
struct Bounds<'a> {
    low: &'a str,
    high: &'a str,
    /// A `{` opens the range: the low bound's whole period is left out.
    exclusive_low: bool,
    /// A `}` closes it: the high bound's whole period is left out.
    exclusive_high: bool,
}

/// A range in tantivy's syntax; `range` is the range's text as read, which messages quote as
/// typed.
fn rewrite_range(folded: &Folded, range: &str, bounds: &Bounds) -> Result<String, Error> {
    let range = folded.typed(range);
    let Bounds {
        low,
        high,
        exclusive_low,
        exclusive_high,
    } = *bounds;
    if let Some((side, example)) = [
        (low, "before", "date:[* TO 2020]"),
        (high, "after", "date:[2020 TO *]"),
    ]
    .into_iter()
    .find_map(|(bound, side, example)| bound.is_empty().then_some((side, example)))
    {
        return Err(Error::Query(format!(
            "date range `{range}` has no date {side} TO; write `*` for an open end \
             (`{example}`)"
        )));
    }
    let from = range_bound(folded, low, Side::From, exclusive_low)?;
    let until = range_bound(folded, high, Side::Until, !exclusive_high)?;
    if let (Some(from), Some(until)) = (from, until)
        && from >= until
    {
        // Braces leave their bound's whole period out: `{2020 TO 2021}` holds no date,
        // though both years exist.
        let with_brackets = range_bound(folded, low, Side::From, false)?
            .zip(range_bound(folded, high, Side::Until, true)?)
            .is_some_and(|(from, until)| from < until);
        return Err(Error::Query(
            if with_brackets && (exclusive_low || exclusive_high) {
                format!(
                    "date range `{range}` holds no date: a brace leaves out its bound's whole \
                     day, month or year; write `[` and `]` to keep them"
                )
            } else {
                format!("date range `{range}` ends before it starts: no date is in it")
            },
        ));
    }
    // Open at both ends: any date, which only `field:*` finds (an open range finds none).
    if from.is_none() && until.is_none() {
        return Ok("*".into());
    }
    let (low, high) = (written(from)?, written(until)?);
    Ok(format!("[{low} TO {high}}}"))
}

/// A range typed without brackets at the start of `rest` (`2020 TO 2021`, `* TO 2021-06`):
/// its low and high bound and the bytes it spans. The `TO` is written in capitals, as in a
/// range with brackets; `date:2020 to x` is a date and two words.
fn unbracketed_range(rest: &str) -> Option<(&str, &str, usize)> {
    let low_end = value_end(rest);
    let after_low = &rest[low_end..];
    let after_to = after_low.trim_start().strip_prefix("TO")?;
    let high = after_to.trim_start();
    if low_end == 0
        || after_to.len() == high.len()
        || after_low.len() == after_low.trim_start().len()
    {
        return None;
    }
    let high_end = value_end(high);
    if high_end == 0 {
        return None;
    }
    let used = rest.len() - high.len() + high_end;
    Some((&rest[..low_end], &high[..high_end], used))
}

/// Rewrites one date expression (`rest`, a part of `folded`'s text as read, what follows
/// `field:`) into tantivy's syntax. Returns the rewritten text and how many bytes of `rest` it
/// consumed. Messages quote the text as typed.
fn rewrite_date_expression(folded: &Folded, rest: &str) -> Result<(String, usize), Error> {
    if let Some(open) = rest.chars().next().filter(|c| *c == '[' || *c == '{') {
        let close = rest
            .find([']', '}'])
            .ok_or_else(|| Error::Query("date range is missing its closing `]` or `}`".into()))?;
        let inside = &rest[1..close];
        let (low, high) = inside.split_once(" TO ").ok_or_else(|| {
            Error::Query(format!(
                "date range `{}` needs the form [FROM TO UNTIL]",
                folded.typed(&rest[..=close])
            ))
        })?;
        let bounds = Bounds {
            low: low.trim(),
            high: high.trim(),
            exclusive_low: open != '[',
            exclusive_high: !rest[close..].starts_with(']'),
        };
        return Ok((rewrite_range(folded, &rest[..=close], &bounds)?, close + 1));
    }
    // `date:"2024"`: the quotes around one date change nothing.
    if let Some(quoted) = rest.strip_prefix('"')
        && let Some(close) = quoted.find('"')
        && !quoted[..close].trim().is_empty()
    {
        let inside = quoted[..close].trim();
        let (rewritten, used) = rewrite_date_expression(folded, inside)?;
        if used == inside.len() {
            return Ok((rewritten, close + 2));
        }
        return Err(date_error(None, folded.typed(inside), DateError::Invalid));
    }
    for (operator, rewritten, side, pick_end) in [
        (">=", ">=", Side::From, false),
        ("<=", "<", Side::Until, true),
        (">", ">=", Side::From, true),
        ("<", "<", Side::Until, false),
    ] {
        if let Some(value) = rest.strip_prefix(operator) {
            let end = value_end(value);
            if end == 0 {
                return Err(Error::Query(format!(
                    "`date:{operator}` needs a date right after it (`date:{operator}2020`)"
                )));
            }
            let Some(date) = range_bound(folded, &value[..end], side, pick_end)? else {
                return Ok(("*".into(), operator.len() + end));
            };
            let date = rfc3339(date)?;
            return Ok((format!("{rewritten}{date}"), operator.len() + end));
        }
    }
    // `date:2020 TO 2021`: a range typed without its brackets is read with them, rather
    // than as the date 2020 and the words `TO` and `2021`, which no article has.
    if let Some((low, high, used)) = unbracketed_range(rest) {
        let bounds = Bounds {
            low,
            high,
            exclusive_low: false,
            exclusive_high: false,
        };
        return Ok((rewrite_range(folded, &rest[..used], &bounds)?, used));
    }
    let end = value_end(rest);
    if end == 0 {
        return Err(Error::Query(
            "`date:` needs a date right after it (`date:2020`, `date:>=2020-05`)".into(),
        ));
    }
    // `date:*`: any date.
    if &rest[..end] == "*" {
        return Ok(("*".into(), end));
    }
    let period = whole(folded, &rest[..end])?;
    let (low, high) = (rfc3339(period.start)?, rfc3339(period.end)?);
    Ok((format!("[{low} TO {high}}}"), end))
}

/// A date expression as it is read: full-width characters (`２０２０`, `［`, `ＴＯ`, typed with an
/// East Asian input method) as ASCII, and without the invisible marks a date copied from
/// right-to-left text carries ([`is_invisible_mark`]); beside the text as typed, which
/// messages quote.
struct Folded<'a> {
    read: String,
    typed: &'a str,
    /// The byte of `typed` that each byte of `read`, and its end, comes from.
    typed_at: Vec<usize>,
}

impl<'a> Folded<'a> {
    fn new(typed: &'a str) -> Self {
        let mut read = String::with_capacity(typed.len());
        let mut typed_at = Vec::with_capacity(typed.len() + 1);
        for (at, c) in typed.char_indices() {
            let c = match c {
                _ if is_invisible_mark(c) => continue,
                '\u{3000}' => ' ',
                c => half_width(c),
            };
            read.push(c);
            typed_at.extend(std::iter::repeat_n(at, c.len_utf8()));
        }
        typed_at.push(typed.len());
        Folded {
            read,
            typed,
            typed_at,
        }
    }

    /// The text typed for `part`, a slice of the text as read; without the invisible marks
    /// around it.
    fn typed(&self, part: &str) -> &'a str {
        let start = part.as_ptr().addr().wrapping_sub(self.read.as_ptr().addr());
        let end = start.wrapping_add(part.len());
        if end > self.read.len() || start > end {
            debug_assert!(false, "{part:?} is not a part of {:?}", self.read);
            return "";
        }
        let typed_start = self.typed_at[start];
        let typed_end = match end.checked_sub(1) {
            Some(last) if end > start => {
                let at = self.typed_at[last];
                at + self.typed[at..].chars().next().map_or(0, char::len_utf8)
            }
            _ => typed_start,
        };
        &self.typed[typed_start..typed_end]
    }
}

/// Rewrites every `field:DATE` expression of a query (outside quotes).
pub fn rewrite_dates(query: &str, field: &str) -> Result<String, Error> {
    let prefix = format!("{field}:");
    let mut out = String::with_capacity(query.len() + 32);
    let mut in_quotes = false;
    let mut i = 0;
    while i < query.len() {
        let rest = &query[i..];
        let at_word_start =
            i == 0 || query[..i].ends_with(|c: char| c.is_whitespace() || "(+-".contains(c));
        if !in_quotes && at_word_start && rest.starts_with(&prefix) {
            let folded = Folded::new(&rest[prefix.len()..]);
            let value = &folded.read;
            let skipped_spaces = value.len() - value.trim_start().len();
            let (rewritten, used) = rewrite_date_expression(&folded, &value[skipped_spaces..])?;
            out.push_str(&prefix);
            out.push_str(&rewritten);
            i += prefix.len() + folded.typed_at[skipped_spaces + used];
            continue;
        }
        let c = rest.chars().next().expect("in bounds");
        in_quotes ^= c == '"';
        out.push(c);
        i += c.len_utf8();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(q: &str) -> String {
        rewrite_dates(q, "date").unwrap()
    }

    /// The message of the query error `q` is.
    fn message(q: &str) -> String {
        match rewrite_dates(q, "date") {
            Err(Error::Query(message)) => message,
            other => panic!("{q}: {other:?}"),
        }
    }

    #[test]
    fn inclusive_day_range_covers_the_last_day() {
        assert_eq!(
            rewrite("date:[2024-01-01 TO 2024-12-31]"),
            "date:[2024-01-01T00:00:00Z TO 2025-01-01T00:00:00Z}"
        );
        assert_eq!(
            rewrite("date:{2024-01-01 TO 2024-12-31}"),
            "date:[2024-01-02T00:00:00Z TO 2024-12-31T00:00:00Z}"
        );
    }

    #[test]
    fn years_months_and_open_bounds() {
        assert_eq!(
            rewrite("date:2023"),
            "date:[2023-01-01T00:00:00Z TO 2024-01-01T00:00:00Z}"
        );
        assert_eq!(
            rewrite("date:2023-12"),
            "date:[2023-12-01T00:00:00Z TO 2024-01-01T00:00:00Z}"
        );
        assert_eq!(
            rewrite("date:[2020 TO *]"),
            "date:[2020-01-01T00:00:00Z TO *}"
        );
        assert_eq!(rewrite("date:>=2023-05"), "date:>=2023-05-01T00:00:00Z");
        assert_eq!(rewrite("date:>2023-05"), "date:>=2023-06-01T00:00:00Z");
        assert_eq!(rewrite("date:<=2023-05-31"), "date:<2023-06-01T00:00:00Z");
        assert_eq!(rewrite("date:<2023"), "date:<2023-01-01T00:00:00Z");
    }

    #[test]
    fn any_date_is_the_field_with_any_value() {
        assert_eq!(rewrite("date:*"), "date:*");
        assert_eq!(rewrite("خلية date:*"), "خلية date:*");
        assert_eq!(rewrite("-date:*"), "-date:*");
        assert_eq!(rewrite("date:[* TO *]"), "date:*");
        assert_eq!(rewrite("date:[1500 TO 3000]"), "date:*");
    }

    #[test]
    fn other_text_is_untouched() {
        assert_eq!(
            rewrite("إرهاب AND (date:٢٠٢٤) \"date:x\""),
            "إرهاب AND (date:[2024-01-01T00:00:00Z TO 2025-01-01T00:00:00Z}) \"date:x\""
        );
        assert_eq!(rewrite("update:2024 mandate:x"), "update:2024 mandate:x");
    }

    #[test]
    fn full_width_characters_and_direction_marks_are_read_as_typed_plainly() {
        for typed in [
            "date:２０２４ a",
            "date:\u{200F}2024\u{200F} a",
            "date:\u{FEFF}2024 a",
            "date:［2024 ＴＯ 2024］ a",
            "date:[2024\u{3000}TO\u{3000}2024] a",
        ] {
            assert_eq!(
                rewrite(typed),
                "date:[2024-01-01T00:00:00Z TO 2025-01-01T00:00:00Z} a",
                "{typed:?}"
            );
        }
        assert_eq!(
            rewrite("date:＞＝２０２４ b"),
            "date:>=2024-01-01T00:00:00Z b"
        );
    }

    #[test]
    fn a_range_typed_without_brackets_is_a_range() {
        let year = "date:[2020-01-01T00:00:00Z TO 2022-01-01T00:00:00Z}";
        assert_eq!(rewrite("date:2020 TO 2021"), year);
        assert_eq!(
            rewrite("date:2020  TO  2021 تهريب"),
            format!("{year} تهريب")
        );
        assert_eq!(rewrite("(date:2020 TO 2021)"), format!("({year})"));
        assert_eq!(rewrite("date:２０２０ ＴＯ ２０２１"), year);
        assert_eq!(
            rewrite("date:* TO 2021-06"),
            "date:[* TO 2021-07-01T00:00:00Z}"
        );
        // Lower-case `to` is a word, as in a range with brackets.
        assert_eq!(
            rewrite("date:2020 to x"),
            "date:[2020-01-01T00:00:00Z TO 2021-01-01T00:00:00Z} to x"
        );
        // `TO` with no date after it is a word.
        assert_eq!(
            rewrite("date:2020 TO"),
            "date:[2020-01-01T00:00:00Z TO 2021-01-01T00:00:00Z} TO"
        );
        assert!(message("date:2021 TO 2020").starts_with("date range `2021 TO 2020` ends before"));
        assert!(message("date:2020 TO ２０２x").starts_with("`２０２x` is not a date"));
    }

    #[test]
    fn a_quoted_date_is_the_date() {
        let year = "date:[2024-01-01T00:00:00Z TO 2025-01-01T00:00:00Z}";
        assert_eq!(rewrite("date:\"2024\""), year);
        assert_eq!(rewrite("date:\" 2024 \" x"), format!("{year} x"));
        assert_eq!(rewrite("date:\"[2024 TO 2024]\""), year);
        assert_eq!(rewrite("date:\"2024 TO 2024\""), year);
        assert_eq!(rewrite("date:\">=2024\""), "date:>=2024-01-01T00:00:00Z");
        assert!(message("date:\"2024 x\"").starts_with("`2024 x` is not a date"));
        assert!(message("date:\"\"").contains("is not a date"));
        assert!(message("date:\"2024").starts_with("`\"2024` is not a date"));
    }

    #[test]
    fn bad_dates_are_errors() {
        for q in [
            "date:yesterday",
            "date:[2024 TO]",
            "date:[2024-01-01 TO 2024-13-01]",
            "date:[2024",
        ] {
            assert!(
                matches!(rewrite_dates(q, "date"), Err(Error::Query(_))),
                "{q}"
            );
        }
    }

    #[test]
    fn messages_quote_dates_as_typed() {
        assert!(message("date:２０２４-１３").starts_with("`２０２４-１３` is not a date"));
        assert!(message("date:\u{200F}2024-13\u{200F} a").starts_with("`2024-13` is not a date"));
        assert!(
            message("date:[2020\u{200F}TO 2021]")
                .contains("`[2020\u{200F}TO 2021]` needs the form [FROM TO UNTIL]")
        );
        assert!(
            message("date:［２０２０ ＴＯ ２０２０｝")
                .starts_with("date range `［２０２０ ＴＯ ２０２０｝` holds no date")
        );
        assert!(message("date:２４００").starts_with("the date `２４００` is outside"));
        let flag = date_error(
            Some("--since"),
            "\u{200F}2024-13\u{200F}",
            DateError::Invalid,
        );
        assert!(matches!(flag, Error::Usage(m) if m.starts_with("--since `2024-13` is not")));
        assert!(message("date:＞＝２４００").starts_with("the date `２４００` is outside"));
    }

    #[test]
    fn dates_outside_the_searchable_range_are_errors_or_cut_to_it() {
        for q in [
            "date:9999-12-31",
            "date:0000-01-01T00:00:00+01:00",
            "date:[1500 TO 1600]",
            "date:>=9999-12-31T23:00:00-02:00",
        ] {
            let Err(Error::Query(message)) = rewrite_dates(q, "date") else {
                panic!("{q} should be an error");
            };
            assert!(
                message
                    .ends_with("is outside the range rasd can search (1677-09-21 to 2262-04-11)"),
                "{message}"
            );
        }
        // A bound before every date the index holds, or after it, on its open side: open.
        assert_eq!(rewrite("date:>=1500"), "date:*");
        assert_eq!(rewrite("date:<=3000"), "date:*");
        assert_eq!(
            rewrite("date:[1500 TO 2020]"),
            "date:[* TO 2021-01-01T00:00:00Z}"
        );
        assert_eq!(
            rewrite("date:[1677-01 TO 2020]"),
            "date:[* TO 2021-01-01T00:00:00Z}"
        );
        assert_eq!(
            rewrite("date:[2020 TO 3000]"),
            "date:[2020-01-01T00:00:00Z TO *}"
        );
        // A range that ends before it starts, or on the other side, nothing can match: an
        // error.
        assert!(rewrite_dates("date:[2024 TO 2020]", "date").is_err());
        assert!(rewrite_dates("date:{2020 TO 2020]", "date").is_err());
        assert_eq!(
            rewrite("date:[2020 TO 2020]"),
            "date:[2020-01-01T00:00:00Z TO 2021-01-01T00:00:00Z}"
        );
        assert!(rewrite_dates("date:<=1500", "date").is_err());
        assert!(message("date:{2020 TO 2021}").contains("a brace leaves out"));
        assert!(message("date:[2020 TO 2020}").contains("a brace leaves out"));
        assert!(message("date:{2024 TO 2020]").contains("ends before it starts"));
        assert!(message("date:[ TO 2020]").contains("no date before TO; write `*`"));
        assert!(message("date:>= 2020").contains("`date:>=` needs a date right after it"));
        assert!(message("date:<").contains("`date:<` needs a date right after it"));
        assert!(message("date: ").contains("`date:` needs a date right after it"));
        assert!(
            message("date:[2020 TO ]")
                .contains("no date after TO; write `*` for an open end (`date:[2020 TO *]`)")
        );
        assert!(rewrite_dates("date:[2300 TO *]", "date").is_err());
        assert_eq!(rewrite("date:>=1677"), "date:>=1677-09-21T00:12:44Z");
        assert_eq!(
            rewrite("date:[2020 TO 2262]"),
            "date:[2020-01-01T00:00:00Z TO 2262-04-11T23:47:16Z}"
        );
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Dates as people write them, and as they should not: far years, bad months, offsets.
    fn date_text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[0-9]{4}",
            "[0-9]{4}-[0-9]{1,2}",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})",
            "[٠-٩]{4}(-[٠-٩]{2}){0,2}",
            // Full-width, as an East Asian input method types them, and with the direction
            // marks of text copied from an Arabic page.
            "[０-９]{4}(－[０-９]{1,2}){0,2}",
            "\u{200F}?[0-9]{4}(-[0-9]{2}){0,2}\u{200F}?",
            Just("*".to_string()),
            "\\PC{0,12}",
        ]
    }

    /// A date expression: a bare date, a comparison or a range.
    fn date_expression() -> impl Strategy<Value = String> {
        (date_text(), date_text(), 0..9usize).prop_map(|(a, b, shape)| match shape {
            0 => format!("date:{a}"),
            1 => format!("date:>={a}"),
            2 => format!("date:<{a}"),
            3 => format!("date:[{a} TO {b}]"),
            4 => format!("date:{{{a} TO {b}}}"),
            5 => format!("date:[{a} TO {b}"),
            6 => format!("date:{a} TO {b}"),
            7 => format!("date:\"{a}\""),
            _ => format!("date: {a} OR date:<={b}"),
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn date_rewriting_never_panics(query in date_expression()) {
            let _ = rewrite_dates(&query, "date");
        }

        #[test]
        fn a_date_or_range_is_quoted_as_typed(query in date_expression()) {
            if let Err(Error::Query(message)) = rewrite_dates(&query, "date") {
                let quoted = message.split('`').nth(1).unwrap_or_default();
                let about_the_date = message.contains("is not a date")
                    || message.contains("is outside")
                    || message.starts_with("date range `");
                prop_assert!(!about_the_date || query.contains(quoted), "{query:?}: {message}");
            }
        }

        #[test]
        fn periods_in_range_are_well_formed(text in date_text()) {
            if let Ok(p) = period(&text) {
                prop_assert!(p.start < p.end);
                prop_assert!(date::SUPPORTED.start <= p.start && p.end <= date::SUPPORTED.end);
            }
        }
    }
}
