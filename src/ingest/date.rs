//! Article dates as archives write them.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// Replaces Arabic-Indic and Eastern Arabic-Indic digits by ASCII digits.
pub fn ascii_digits(text: &str) -> String {
    text.chars()
        .map(crate::analysis::normalizer::ascii_digit)
        .collect()
}

/// Parses a date: `YYYY-MM-DD` (also with `/` or `.`), RFC 3339, or `YYYY-MM-DD[ T]HH:MM[:SS]`
/// taken as UTC; in any digits. Returns the instant in UTC.
pub fn parse_date(text: &str) -> Option<OffsetDateTime> {
    let text = ascii_digits(text.trim());
    if let Ok(dt) = OffsetDateTime::parse(&text, &Rfc3339) {
        return Some(dt.to_offset(UtcOffset::UTC));
    }
    let text = text.replace(['/', '.'], "-");
    let (day, clock) = match text.split_once(['T', ' ']) {
        Some((day, clock)) => (day, Some(clock.trim_end_matches('Z'))),
        None => (text.as_str(), None),
    };
    let date = Date::parse(day, format_description!("[year]-[month]-[day]"))
        .or_else(|_| {
            Date::parse(
                day,
                format_description!("[year]-[month padding:none]-[day padding:none]"),
            )
        })
        .ok()?;
    let time = match clock {
        None => time::Time::MIDNIGHT,
        Some(clock) => time::Time::parse(clock, format_description!("[hour]:[minute]:[second]"))
            .or_else(|_| time::Time::parse(clock, format_description!("[hour]:[minute]")))
            .ok()?,
    };
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Option<String> {
        parse_date(text).map(|d| d.date().to_string())
    }

    #[test]
    fn accepted_forms() {
        assert_eq!(day("2024-03-12"), Some("2024-03-12".into()));
        assert_eq!(day("2024/3/5"), Some("2024-03-05".into()));
        assert_eq!(day("2024-03-12T08:30:00Z"), Some("2024-03-12".into()));
        assert_eq!(day("2024-03-12T23:30:00-02:00"), Some("2024-03-13".into()));
        assert_eq!(day("2024-03-12 08:30"), Some("2024-03-12".into()));
        assert_eq!(day("٢٠٢٤-٠٣-١٢"), Some("2024-03-12".into()));
        assert_eq!(day("۲۰۲۴-۰۳-۱۲"), Some("2024-03-12".into()));
    }

    #[test]
    fn rejected_forms() {
        for bad in [
            "",
            "yesterday",
            "2024-13-01",
            "2024-02-30",
            "12/03/2024",
            "2024-03-12T25:00",
        ] {
            assert_eq!(day(bad), None, "{bad}");
        }
    }
}
