//! Syntax errors in rasd's words, on one line, with the place in the query: its character
//! (not byte) position, and the query with `‸` before that character. One line, because a
//! caret on a line below cannot point into Arabic, which terminals lay out right to left; `‸`
//! (the caret insertion mark), because `^` is query syntax (`خلية^2`).

use super::operators::Scan;
use crate::analysis::normalizer::half_width;

/// What marks the place of the error in the query shown.
const MARK: char = '‸';

/// Characters of the query shown on each side of the error.
const CONTEXT_CHARS: usize = 30;

/// The message of a syntax error that tantivy's lenient parser found at byte `pos` of `text`
/// and described as `message`.
pub(super) fn message(text: &str, pos: usize, message: &str) -> String {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    let at_caret = text[pos..].starts_with('^');
    let (what, at) = match message {
        // `"a b"~-1`, `"a b"~1.5`, `"a b"~99999999999`: tantivy stops before or inside the
        // slop and asks for a space.
        "missing space" | "expected whitespace, closing parenthesis, boost, or end of input"
            if in_phrase_slop(text, pos) =>
        {
            (
                format!(
                    "the `~` after a phrase takes a whole number of words from 0 to {}: \
                     `\"a b\"~2`",
                    u32::MAX
                ),
                pos,
            )
        }
        "unparsed end of query" | "expected word" if at_caret => (
            "a weight `^` needs a word before it and a number after it (`word^2`)".to_string(),
            pos,
        ),
        // The parser notices a missing closing quote at the end: the opening one is the news.
        "missing delimiter \\\"" | "missing delimiter \\'" => {
            let quote = if message.ends_with('"') { '"' } else { '\'' };
            let opening = text[..pos].rfind(quote).unwrap_or(pos);
            // `"C:\temp\"`: the backslash kept the closing quote inside the phrase.
            let escaped = if text[..opening].ends_with('\\') {
                format!(
                    ", `\\{quote}` being a quote inside the phrase (write `\\\\` for a backslash)"
                )
            } else {
                String::new()
            };
            (
                format!("the quote `{quote}` is never closed{escaped}"),
                opening,
            )
        }
        "missing delimiter /" => ("the `/` is never closed".to_string(), pos),
        // The parser notices it at the end: the bracket left open is the news.
        "expected ')'" => {
            let open = unclosed_bracket(text).unwrap_or(pos);
            let bracket = text[open..].chars().next().filter(|c| *c == '（');
            let bracket = bracket.unwrap_or('(');
            (format!("this `{bracket}` is never closed by `)`"), open)
        }
        "missing ]" | "missing range delimiter" => {
            ("a range is not closed by `]` or `}`".to_string(), pos)
        }
        "missing keyword TO" | "expected word" if range_has_to(text, pos) => (
            "a range needs a value on each side of `TO`; write `*` for an open end: \
             `[a TO *]`"
                .to_string(),
            pos,
        ),
        "missing keyword TO" => ("a range needs `TO`: `[a TO b]`".to_string(), pos),
        "expected word" | "unparsed end of query" if closes_nothing(text, pos) => {
            ("this `)` closes no `(`".to_string(), pos)
        }
        "expected word" => ("a word is missing".to_string(), pos),
        "unparsed end of query" => ("this cannot be read".to_string(), pos),
        "Found unexpected boolean operator before term" => (
            "an operator (AND, OR) has no word before it; put words in quotes to search them \
             as written"
                .to_string(),
            pos,
        ),
        "parsed possible invalid field as term" => (
            "a `:` with no field name before it (`title:word`); put the text in quotes to \
             search it as written"
                .to_string(),
            pos,
        ),
        "parsed keyword NOT as term. It should be quoted" => (
            "`NOT` has no word to exclude; put it in quotes to search the word".to_string(),
            pos,
        ),
        "missing space" | "expected whitespace, closing parenthesis, boost, or end of input" => {
            ("a space is missing".to_string(), pos)
        }
        other => (other.to_string(), pos),
    };
    placed(&what, text, at)
}

/// Whether the range the parser was reading at byte `pos` of `text` has its `TO`, with no
/// value before or after it (`[ TO ]`): the grammar then says `TO` is missing.
fn range_has_to(text: &str, pos: usize) -> bool {
    let Some(open) = text[..pos].rfind(['[', '{']) else {
        return false;
    };
    if text[open..pos].contains([']', '}']) {
        return false;
    }
    let end = text[pos..].find([']', '}']).map_or(text.len(), |i| pos + i);
    text[open + 1..end].split_whitespace().any(|w| w == "TO")
}

/// Whether byte `pos` of `text` is a `)` with no `(` open before it (outside quotes); full-width
/// brackets count as brackets.
fn closes_nothing(text: &str, pos: usize) -> bool {
    text[pos..].starts_with([')', '）']) && unclosed_bracket(&text[..pos]).is_none()
}

/// The byte where the last bracket of `text` left open stands (outside quotes), if one is.
fn unclosed_bracket(text: &str) -> Option<usize> {
    let mut scan = Scan::default();
    let mut open = Vec::new();
    for (at, c) in text.char_indices() {
        match half_width(c) {
            _ if scan.quoted(c) => {}
            '(' => open.push(at),
            ')' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.pop()
}

/// `what` went wrong at byte `at` of `text`: said with the character's place, and the text
/// with the mark there.
pub(super) fn placed(what: &str, text: &str, at: usize) -> String {
    let character = text[..at].chars().count() + 1;
    format!("{what} (character {character}): {}", marked(text, at))
}

/// The first `]` or `}` in `text` (outside quotes) that stands where a `(` is open: tantivy's
/// grammar takes it for the `)` at the end of the query (`(a OR b]`) and refuses it anywhere
/// else with a message about operators. Its byte, and the message.
pub(super) fn bracket_closing_a_group(text: &str) -> Option<(usize, String)> {
    let mut scan = Scan::default();
    let mut open = Vec::new();
    for (at, c) in text.char_indices() {
        match half_width(c) {
            _ if scan.quoted(c) => {}
            c @ ('(' | '[' | '{') => open.push(c),
            ')' => {
                open.pop();
            }
            ']' | '}' => {
                let closed = open.pop();
                if closed == Some('(') {
                    let what = format!(
                        "this `{c}` closes a `(`: write `)`, or put the text in quotes to \
                         search it as written"
                    );
                    return Some((at, what));
                }
            }
            _ => {}
        }
    }
    None
}

/// Which side of an operator has no word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Lonely {
    /// At the start of the query or of a group, or after another operator.
    Before,
    /// Before the end of the query or of its group.
    After,
}

/// The message of an operator at byte `at` of `text` with no word on its `side`.
pub(super) fn lonely_operator(text: &str, at: usize, side: Lonely) -> String {
    let side = match side {
        Lonely::Before => "before",
        Lonely::After => "after",
    };
    let what = format!(
        "an operator (AND, OR) has no word {side} it; put words in quotes to search them as \
         written"
    );
    placed(&what, text, at)
}

/// The first `AND` or `OR` with no word on one side, in `text` as the grammar reads it
/// (operators written `AND` and `OR`): its byte, and which side.
///
/// tantivy's parser reports the operator of `OR a` once it has read the word after it, at the
/// end of the query, and two operators in a row (`a AND OR b`) with no position at all.
pub(super) fn dangling_operator(text: &str) -> Option<(usize, Lonely)> {
    // Whether a word stands since the start of the current group or the last operator, per
    // open group; and the operator still waiting for its word after it.
    let mut word_since = vec![false];
    let mut waiting: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some(&(at, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '(' || c == ')' {
            chars.next();
            if c == '(' {
                word_since.push(false);
                continue;
            }
            if let Some(operator) = waiting.take() {
                return Some((operator, Lonely::After));
            }
            word_since.pop();
            if word_since.is_empty() {
                word_since.push(true);
            }
            *word_since.last_mut()? = true;
            continue;
        }
        // One unit: a quoted phrase with what sticks to it, or a run of other characters;
        // quotes read as the grammar reads them (`\"` inside a phrase).
        let mut end = at;
        let mut scan = Scan::default();
        while let Some(&(i, c)) = chars.peek() {
            if !scan.quoted(c) && (c.is_whitespace() || c == '(' || c == ')') {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        match &text[at..end] {
            "AND" | "OR" => {
                if !*word_since.last()? {
                    return Some((at, Lonely::Before));
                }
                *word_since.last_mut()? = false;
                waiting = Some(at);
            }
            // `NOT` needs a word after it, not before.
            "NOT" => *word_since.last_mut()? = false,
            // A field's name, its value in a group next: no word yet.
            unit if unit.ends_with(':') => {}
            _ => {
                *word_since.last_mut()? = true;
                waiting = None;
            }
        }
    }
    waiting.map(|operator| (operator, Lonely::After))
}

/// The byte of `typed` that byte `pos` of `prepared` comes from: the query as the grammar
/// read it (spaces made plain, `||` and `&&` and full-width operators written `OR` and
/// `AND`, direction marks around words taken off, an apostrophe inside a word escaped) is
/// aligned with the query as typed, so that a message shows what the user typed.
pub(super) fn typed_position(prepared: &str, typed: &str, pos: usize) -> usize {
    let p: Vec<(usize, char)> = prepared.char_indices().collect();
    let t: Vec<(usize, char)> = typed.char_indices().collect();
    let (mut i, mut j) = (0, 0);
    while i < p.len() && j < t.len() {
        let ((at, pc), (typed_at, tc)) = (p[i], t[j]);
        if at >= pos {
            // Direction marks typed before the character are invisible: the mark goes on it.
            let shown = t[j..]
                .iter()
                .find(|&&(_, c)| c == pc || !super::operators::is_invisible_at_edge(c));
            return shown.map_or(typed_at, |&(typed_at, _)| typed_at);
        }
        if pc == tc {
            (i, j) = (i + 1, j + 1);
        } else if pc == '\\' && tc == '\'' {
            // The escape before an apostrophe was not typed.
            i += 1;
        } else if prepared[at..].starts_with("AND") && typed[typed_at..].starts_with("&&") {
            if pos < at + 3 {
                return typed_at;
            }
            (i, j) = (i + 3, j + 2);
        } else if super::operators::is_invisible_at_edge(tc) || tc == '\u{200B}' && pc != ' ' {
            // Invisible marks, and a zero-width space dropped after a sign, were typed only.
            j += 1;
        } else if pc == ' ' && (matches!(tc, '(' | '（') || i > 0 && p[i - 1].1 == ')') {
            // The space the operators' pass put between a word and a bracket glued to it
            // (`a(b`, `(a)b`) was not typed.
            i += 1;
        } else if tc.is_whitespace() && pc == '~' {
            // The space before a lone `~N` joined to its phrase or word was typed only.
            j += 1;
        } else if tc == '\u{2029}' && prepared[at..].starts_with("\n\n") {
            (i, j) = (i + 2, j + 1);
        } else {
            (i, j) = (i + 1, j + 1);
        }
    }
    typed.len()
}

/// Whether byte `pos` of `text` is at or inside the slop of a quoted phrase: right after
/// `"…"~` and its digits, or at that `~`.
fn in_phrase_slop(text: &str, pos: usize) -> bool {
    let before = text[..pos].trim_end_matches(|c: char| c.is_ascii_digit());
    let at_tilde = text[pos..].starts_with('~') && before.ends_with(['"', '\'']);
    at_tilde || before.ends_with("\"~") || before.ends_with("'~")
}

/// The query around byte `at`, [`MARK`] before the character there, on one line.
fn marked(text: &str, at: usize) -> String {
    // Control characters shown as escapes, as the rest of rasd's messages show them: not as
    // spaces, which hid `ESC X` as ` X`.
    let one_line = |s: &str| -> String { s.chars().flat_map(crate::clean::shown).collect() };
    let before: Vec<char> = text[..at].chars().collect();
    let after: Vec<char> = text[at..].chars().collect();
    let start = before.len().saturating_sub(CONTEXT_CHARS);
    let end = after.len().min(CONTEXT_CHARS);
    let before: String = before[start..].iter().collect();
    let after: String = after[..end].iter().collect();
    let (open, close) = (
        if start > 0 { "…" } else { "" },
        if end < text[at..].chars().count() {
            "…"
        } else {
            ""
        },
    );
    format!(
        "{open}{}{MARK}{}{close}",
        one_line(&before),
        one_line(&after)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> String {
        let (_, errors) = tantivy::query_grammar::parse_query_lenient(text);
        let error = errors.first().expect("a syntax error");
        message(text, error.pos, &error.message)
    }

    #[test]
    fn positions_are_those_of_the_text_as_typed() {
        for (prepared, typed, at_prepared, at_typed) in [
            ("a AND b \"x", "a && b \"x", 8, 7),
            ("a OR b \"x", "a \u{200F}OR\u{200F} b \"x", 7, 13),
            ("a OR b", "a \u{200F}OR b", 2, 5),
            ("l\\'État \"x", "l'État \"x", 9, 8),
            ("a OR b \"x", "a ＯＲ b \"x", 7, 11),
            ("a\n\nb \"x", "a\u{2029}b \"x", 5, 6),
            ("ab", "ab", 2, 2),
        ] {
            assert_eq!(
                typed_position(prepared, typed, at_prepared),
                at_typed,
                "{typed:?}"
            );
        }
    }

    #[test]
    fn an_unclosed_quote_is_shown_where_it_opens_in_characters() {
        assert_eq!(
            error_of("title:(خلية \"مكافحة) الإرهاب"),
            "the quote `\"` is never closed (character 13): title:(خلية ‸\"مكافحة) الإرهاب"
        );
        assert_eq!(
            error_of("a \"b"),
            "the quote `\"` is never closed (character 3): a ‸\"b"
        );
        assert!(
            error_of("\"C:\\temp\\\"").contains("write `\\\\` for a backslash"),
            "{}",
            error_of("\"C:\\temp\\\"")
        );
        // Another quote left open gets no word on backslashes.
        assert!(!error_of("\"a \\\" b\" \"c").contains("backslash"));
    }

    #[test]
    fn an_operator_with_no_word_on_one_side_is_marked_where_it_stands() {
        let marked_at = |query: &str| {
            let (at, side) = dangling_operator(query).unwrap_or_else(|| panic!("{query}"));
            let side = if side == Lonely::Before {
                "before"
            } else {
                "after"
            };
            (query[..at].chars().count() + 1, side)
        };
        for (query, at) in [
            ("OR خلية", (1, "before")),
            ("OR a OR", (1, "before")),
            ("OR a \"b OR c\"", (1, "before")),
            ("OR a title:\"x OR y\"", (1, "before")),
            ("a (OR b)", (4, "before")),
            ("تهريب AND OR سيارة", (11, "before")),
            ("a NOT OR b", (7, "before")),
            ("تهريب OR", (7, "after")),
            ("title:(a OR)", (10, "after")),
            ("(a OR) b", (4, "after")),
            ("title:(OR a)", (8, "before")),
            ("a \"b \\\" c\" OR", (12, "after")),
        ] {
            assert_eq!(marked_at(query), at, "{query}");
        }
        for query in [
            "a OR b",
            "(a OR b) AND c",
            "\"OR\" a",
            "a \"b OR\"",
            "title:(a OR b) OR c",
            "NOT a AND b",
            "a AND NOT b",
            "exact:OR a",
            "a OR exact:OR",
            "a \"b \\\" OR\" c",
            "a 'b OR' c",
        ] {
            assert_eq!(dangling_operator(query), None, "{query}");
        }
        assert_eq!(
            lonely_operator("OR خلية", 0, Lonely::Before),
            "an operator (AND, OR) has no word before it; put words in quotes to search them \
             as written (character 1): ‸OR خلية"
        );
    }

    #[test]
    fn the_parsers_own_words_are_said_in_rasds() {
        for (query, said) in [
            ("AND OR", "an operator (AND, OR) has no word before it"),
            (":خلية", "a `:` with no field name before it"),
            ("\"a\"\"", "a space is missing"),
            (
                "\"w w\"~-1",
                "the `~` after a phrase takes a whole number of words",
            ),
            (
                "\"w w\"~1.5",
                "the `~` after a phrase takes a whole number of words",
            ),
            (
                "\"w w\"~4294967296",
                "the `~` after a phrase takes a whole number of words",
            ),
            (
                "\"w w\"~x",
                "the `~` after a phrase takes a whole number of words",
            ),
            (")", "this `)` closes no `(`"),
            ("a ) b", "this `)` closes no `(`"),
            ("(a)) b", "this `)` closes no `(`"),
            ("[ TO ]", "a range needs a value on each side of `TO`"),
            (
                "title:[a TO ]",
                "a range needs a value on each side of `TO`",
            ),
            ("[a b]", "a range needs `TO`"),
        ] {
            let shown = error_of(query);
            assert!(shown.starts_with(said), "{query}: {shown}");
        }
        // The user's `^` is said as such, and stays apart from the mark.
        for query in ["خلية^", "^خلية"] {
            let shown = error_of(query);
            assert!(shown.starts_with("a weight `^` needs a word"), "{shown}");
            assert!(shown.contains("‸^"), "{shown}");
        }
    }

    #[test]
    fn a_range_closes_with_either_bracket_and_a_group_with_neither() {
        for query in [
            "date:[2020 TO 2021}",
            "(date:{2020 TO 2021] OR a)",
            "(a OR \"b]\")",
            "(a OR b\\])",
            "a] b",
        ] {
            assert_eq!(bracket_closing_a_group(query), None, "{query}");
        }
        for (query, at, bracket) in [
            ("(a OR b]", 7, ']'),
            ("(a OR b} c", 7, '}'),
            ("(a] b)", 2, ']'),
            ("（a OR b］", 9, '］'),
            ("(a OR date:[1 TO 2]]", 19, ']'),
        ] {
            let (found, what) = bracket_closing_a_group(query).expect(query);
            assert_eq!(found, at, "{query}");
            assert!(
                what.starts_with(&format!("this `{bracket}` closes a `(`")),
                "{what}"
            );
        }
    }

    #[test]
    fn long_queries_are_cut_around_the_error_and_stay_on_one_line() {
        let text = format!("{}\n\"{}", "خلية ".repeat(20), "word ".repeat(20));
        let shown = error_of(&text);
        assert!(shown.contains("(character 102)"), "{shown}");
        assert!(shown.starts_with("the quote"), "{shown}");
        assert!(shown.contains("…"), "{shown}");
        assert!(!shown.contains('\n'));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn messages_never_panic_and_are_one_line(
            text in "\\PC{0,60}|[()\"'\\[\\]{}: TOa-zخلية]{0,60}",
            pos in 0usize..200,
        ) {
            let shown = message(&text, pos, "missing delimiter \\\"");
            prop_assert!(!shown.contains('\n'));
            let (_, errors) = tantivy::query_grammar::parse_query_lenient(&text);
            for error in errors {
                let shown = message(&text, error.pos, &error.message);
                prop_assert!(!shown.contains('\n'));
                prop_assert!(shown.contains(MARK));
            }
        }
    }
}
