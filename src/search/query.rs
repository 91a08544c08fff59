//! From the user's query text to a tantivy query.
//!
//! tantivy's query parser does the heavy lifting (terms, phrases, AND/OR/NOT, +/-, fields,
//! ranges), analyzing each word with the field's own analyzer. rasd adds two things:
//! all words are required unless `OR` says otherwise, and dates are written the way people
//! write them (`date:2024`, `date:[2024-01-01 TO 2024-06-30]`, `date:>=2023-05`), each bound
//! covering its whole day, month or year.

use tantivy::Searcher;
use tantivy::query::{Query, QueryParser};
use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time};

use super::proclitics::ProcliticExpander;
use crate::error::Error;
use crate::ingest::date::{ascii_digits, parse_date};
use crate::store::RasdIndex;

/// The instants a written date covers: `[start, end)`.
struct Period {
    start: OffsetDateTime,
    end: OffsetDateTime,
}

fn midnight(date: Date) -> OffsetDateTime {
    PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc()
}

/// Reads `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or an RFC 3339 instant.
fn period(text: &str) -> Option<Period> {
    let text = ascii_digits(text);
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str| {
        s.parse::<i32>()
            .ok()
            .filter(|_| s.chars().all(|c| c.is_ascii_digit()))
    };
    match parts.as_slice() {
        [year] if year.len() == 4 => {
            let year = number(year)?;
            let start = Date::from_calendar_date(year, Month::January, 1).ok()?;
            let end = Date::from_calendar_date(year + 1, Month::January, 1).ok()?;
            Some(Period {
                start: midnight(start),
                end: midnight(end),
            })
        }
        [year, month] if year.len() == 4 => {
            let (year, month) = (
                number(year)?,
                Month::try_from(u8::try_from(number(month)?).ok()?).ok()?,
            );
            let start = Date::from_calendar_date(year, month, 1).ok()?;
            let end = match month {
                Month::December => Date::from_calendar_date(year + 1, Month::January, 1),
                _ => Date::from_calendar_date(year, month.next(), 1),
            }
            .ok()?;
            Some(Period {
                start: midnight(start),
                end: midnight(end),
            })
        }
        _ => {
            let start = parse_date(&text)?;
            let is_day = text.len() <= 10;
            let end = start
                + if is_day {
                    Duration::DAY
                } else {
                    Duration::SECOND
                };
            Some(Period { start, end })
        }
    }
}

fn rfc3339(instant: OffsetDateTime) -> String {
    instant.format(&Rfc3339).expect("dates in range format")
}

/// One bound of a range, rewritten; `*` stays open.
fn bound(text: &str, pick: impl Fn(Period) -> OffsetDateTime) -> Result<String, Error> {
    if text == "*" {
        return Ok("*".into());
    }
    period(text).map(|p| rfc3339(pick(p))).ok_or_else(|| {
        Error::Query(format!(
            "`{text}` is not a date (use YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339)"
        ))
    })
}

/// Rewrites one date expression (what follows `field:`) into tantivy's syntax. Returns the
/// rewritten text and how many bytes of `rest` it consumed.
fn rewrite_date_expression(rest: &str) -> Result<(String, usize), Error> {
    let value_end = |s: &str| {
        s.find(|c: char| c.is_whitespace() || c == ')')
            .unwrap_or(s.len())
    };
    if let Some(open) = rest.chars().next().filter(|c| *c == '[' || *c == '{') {
        let close = rest
            .find([']', '}'])
            .ok_or_else(|| Error::Query("date range is missing its closing `]` or `}`".into()))?;
        let inside = &rest[1..close];
        let (low, high) = inside.split_once(" TO ").ok_or_else(|| {
            Error::Query(format!(
                "date range `{}` needs the form [FROM TO UNTIL]",
                &rest[..=close]
            ))
        })?;
        let (low, high) = (low.trim(), high.trim());
        let inclusive_high = rest[close..].starts_with(']');
        let low = if open == '[' {
            bound(low, |p| p.start)?
        } else {
            bound(low, |p| p.end)?
        };
        let high = if inclusive_high {
            bound(high, |p| p.end)?
        } else {
            bound(high, |p| p.start)?
        };
        return Ok((format!("[{low} TO {high}}}"), close + 1));
    }
    for (operator, rewritten, pick_end) in [
        (">=", ">=", false),
        ("<=", "<", true),
        (">", ">=", true),
        ("<", "<", false),
    ] {
        if let Some(value) = rest.strip_prefix(operator) {
            let end = value_end(value);
            let date = bound(&value[..end], |p| if pick_end { p.end } else { p.start })?;
            return Ok((format!("{rewritten}{date}"), operator.len() + end));
        }
    }
    let end = value_end(rest);
    let low = bound(&rest[..end], |p| p.start)?;
    let high = bound(&rest[..end], |p| p.end)?;
    Ok((format!("[{low} TO {high}}}"), end))
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
            let (rewritten, used) = rewrite_date_expression(rest[prefix.len()..].trim_start())?;
            let skipped_spaces =
                rest[prefix.len()..].len() - rest[prefix.len()..].trim_start().len();
            out.push_str(&prefix);
            out.push_str(&rewritten);
            i += prefix.len() + skipped_spaces + used;
            continue;
        }
        let c = rest.chars().next().expect("in bounds");
        in_quotes ^= c == '"';
        out.push(c);
        i += c.len_utf8();
    }
    Ok(out)
}

/// Parses a user query against the index's default search fields, expanding Arabic words to
/// their proclitic forms found through `searcher`.
pub fn parse_query(
    index: &RasdIndex,
    searcher: &Searcher,
    text: &str,
) -> Result<Box<dyn Query>, Error> {
    let text = rewrite_dates(text, "date")?;
    let mut searched = Vec::new();
    for spec in index.schema.fields.iter().filter(|f| f.indexed) {
        let Some(boost) = spec.boost else { continue };
        let field = index.field(&spec.name);
        let analyzer = index
            .index
            .tokenizer_for_field(field)
            .map_err(|e| Error::Query(e.to_string()))?;
        searched.push((spec.name.clone(), field, analyzer, boost));
    }
    let mut parser = QueryParser::for_index(&index.index, searched.iter().map(|f| f.1).collect());
    parser.set_conjunction_by_default();
    for (_, field, _, boost) in &searched {
        parser.set_field_boost(*field, *boost);
    }
    let syntax_error = || {
        // The lenient parser explains syntax errors precisely ("missing delimiter \"").
        let (_, lenient) = parser.parse_query_lenient(&text);
        let message = lenient
            .first()
            .map_or_else(|| format!("cannot parse `{text}`"), ToString::to_string);
        Error::Query(message)
    };
    let ast = tantivy::query_grammar::parse_query(&text).map_err(|_| syntax_error())?;
    let ast = ProcliticExpander::new(
        searcher,
        searched
            .into_iter()
            .map(|(name, field, analyzer, _)| (name, field, analyzer))
            .collect(),
    )
    .expand(ast);
    parser
        .build_query_from_user_input_ast(ast)
        .map_err(|e| Error::Query(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(q: &str) -> String {
        rewrite_dates(q, "date").unwrap()
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
    fn other_text_is_untouched() {
        assert_eq!(
            rewrite("إرهاب AND (date:٢٠٢٤) \"date:x\""),
            "إرهاب AND (date:[2024-01-01T00:00:00Z TO 2025-01-01T00:00:00Z}) \"date:x\""
        );
        assert_eq!(rewrite("update:2024 mandate:x"), "update:2024 mandate:x");
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
}
