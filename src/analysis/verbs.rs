//! Verbs: a query word read as a conjugated verb finds the same verb in the other persons and
//! tenses news text writes, and its measure's verbal noun; a verbal noun finds its verb.
//! Natural-language queries carry verbs (سيارة مفخخة استهدفت نقطة تفتيش) that the articles
//! write in another person (استهدف) or as a noun (استهداف); the light stemmer leaves verbs
//! whole, and the root view, wider, is kept for short queries.
//!
//! The measures are data (`index-schema/verbs-ar.txt`: past stem, present stem, verbal
//! nouns; a section for the measures of roots whose last letter is weak, whose stems give up
//! that letter before an ending: اعتدى، اعتدت، اعتدوا، يعتدي، يعتدون، اعتداء); the person and
//! tense affixes below are the grammar's. A word is read as a verb
//! only from a form whose affixes are a verb's (a past in ت or وا, a present in ي ت سي ست),
//! or from a stem or noun the file does not mark as also being another kind of word.

use super::morphology::{Pattern, ROOT_SLOTS, defective_root_in, fill, hamza_seats, root_in};

/// Endings of the past written in news (he, she, they): the bare stem, ت, وا.
const PAST_ENDINGS: [&str; 3] = ["", "ت", "وا"];
/// Endings of the past of a measure whose bare stem is as often another kind of word.
const MARKED_PAST_ENDINGS: [&str; 2] = ["ت", "وا"];
/// Prefixes of the present and the future (he, she or they; will).
const PRESENT_PREFIXES: [&str; 4] = ["ي", "ت", "سي", "ست"];
/// Endings of the present: the singular and the masculine plural.
const PRESENT_ENDINGS: [&str; 2] = ["", "ون"];

/// A verb measure: its past and present stems and its verbal nouns.
#[derive(Clone, Debug)]
struct Measure {
    /// Marked: a word is never read as a verb from the bare stem, which is never generated
    /// either (يكثر is no verb of أكثر "more", يمثل none of مثل "like").
    past: Pattern,
    present: Vec<char>,
    /// Marked: a word is never read as a verb from the noun, which is generated only for a
    /// word of the measure's own past.
    nouns: Vec<Pattern>,
    /// A measure of roots whose last letter is weak (`[defective]` in the file): its stems
    /// write the first two root letters and end in the weak one, which an ending replaces.
    defective: bool,
}

/// A form of a verb related to a query word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerbForm {
    /// The same verb in another person or tense.
    Conjugation(String),
    /// The verbal noun of the verb, or the verb of the verbal noun.
    VerbalNoun(String),
}

/// The verb measures of `verbs-ar.txt`.
#[derive(Clone, Debug, Default)]
pub struct Verbs {
    measures: Vec<Measure>,
}

impl Verbs {
    /// Reads the measures: one per line, past stem, present stem, verbal nouns, separated by
    /// white space; `#` comments; the lines after `[defective]` are measures of roots whose
    /// last letter is weak. A line with fewer than two items, or whose stems do not hold the
    /// root letters their kind writes, is skipped.
    pub fn parse(text: &str) -> Verbs {
        // Whether the section's measures are defective; `None` in a section of no known kind,
        // whose lines are skipped.
        let mut section = Some(false);
        let mut measures = Vec::new();
        let lines = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'));
        for line in lines {
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = (name.trim() == "defective").then_some(true);
                continue;
            }
            let Some(defective) = section else {
                continue;
            };
            let mut items = line.split_whitespace();
            let (Some(past), Some(present)) = (items.next(), items.next()) else {
                continue;
            };
            let measure = Measure {
                past: Pattern::parse(past),
                present: Pattern::parse(present).letters,
                nouns: items.map(Pattern::parse).collect(),
                defective,
            };
            let nouns_hold_root = (measure.nouns.iter()).all(|n| holds_root(&n.letters, defective));
            if is_template(&measure.past.letters, defective)
                && is_template(&measure.present, defective)
                && nouns_hold_root
            {
                measures.push(measure);
            }
        }
        Verbs { measures }
    }

    /// The forms of the verbs a normalized word is read as (a conjugation or a verbal
    /// noun), or none: every person and tense of the measure, and its verbal nouns, with
    /// the word itself among them.
    pub fn related(&self, word: &str) -> Vec<VerbForm> {
        let letters: Vec<char> = word.chars().collect();
        // Each measure and root the word is read as, and whether from the measure's past.
        let mut readings: Vec<(&Measure, [char; 3], bool)> = Vec::new();
        for measure in &self.measures {
            for (root, from_past) in roots_in(measure, &letters) {
                let known = readings
                    .iter_mut()
                    .find(|(m, r, _)| std::ptr::eq(*m, measure) && *r == root);
                match known {
                    Some((_, _, past)) => *past |= from_past,
                    None => readings.push((measure, root, from_past)),
                }
            }
        }
        let mut out = Vec::new();
        for (measure, root, from_past) in readings {
            // Read from a verbal noun, the verb's forms are the verb of the noun.
            let is_verb = is_conjugation(measure, &letters, &root);
            for root in hamza_seats(root) {
                for form in conjugations(measure, &root) {
                    out.push(if is_verb {
                        VerbForm::Conjugation(form)
                    } else {
                        VerbForm::VerbalNoun(form)
                    });
                }
                // A marked noun only for a word of this measure's own past: its present is
                // shared (يبحث is measure I as often as IV, and أبحاث is "research papers").
                for noun in measure.nouns.iter().filter(|n| !n.marked || from_past) {
                    out.push(VerbForm::VerbalNoun(fill(&noun.letters, &root)));
                }
            }
        }
        out
    }

    /// The persons and tenses of the verbs whose verbal noun (not marked `<`) a normalized
    /// word is: for the bare singular of a word that has the article or a plural ending
    /// (اعتداء of الاعتداءات: اعتدى، يعتدي…), which is no verb's form itself.
    pub fn of_noun(&self, word: &str) -> Vec<String> {
        let letters: Vec<char> = word.chars().collect();
        let mut out = Vec::new();
        for measure in &self.measures {
            for noun in measure.nouns.iter().filter(|n| !n.marked) {
                if let Some(root) = root_of(measure, &noun.letters, &letters) {
                    for root in hamza_seats(root) {
                        out.extend(conjugations(measure, &root));
                    }
                }
            }
        }
        out
    }
}

/// The roots `word` has as a form of `measure` a word is read from, each with whether it
/// was read from the measure's past.
fn roots_in(measure: &Measure, word: &[char]) -> Vec<([char; 3], bool)> {
    let mut roots = Vec::new();
    // A word in ة (written ه) is a noun, unless it starts as a present in ي does (يشتبه):
    // تجارة "trade" is no present of جار, سيجارة "cigarette" no future.
    let feminine = word.last() == Some(&'ه');
    for ending in past_endings(measure) {
        if !(feminine && ending.is_empty()) {
            let root = root_with(measure, &measure.past.letters, "", ending, word);
            roots.extend(root.map(|root| (root, true)));
        }
    }
    for (prefix, ending) in present_affixes(measure) {
        if !(feminine && ending.is_empty() && prefix != "ي") {
            let root = root_with(measure, &measure.present, prefix, ending, word);
            roots.extend(root.map(|root| (root, false)));
        }
    }
    for noun in measure.nouns.iter().filter(|n| !n.marked) {
        roots.extend(root_of(measure, &noun.letters, word).map(|root| (root, false)));
    }
    roots
}

/// The root of `word` read as `template` of `measure`'s kind of root.
fn root_of(measure: &Measure, template: &[char], word: &[char]) -> Option<[char; 3]> {
    match measure.defective {
        true => defective_root_in(template, word),
        false => root_in(template, word),
    }
}

/// `stem` with `ending`: a defective measure's stem gives up its weak last letter to an
/// ending (اعتدي and ت: اعتدت; يعتدي and ون: يعتدون).
fn with_ending(measure: &Measure, stem: &[char], ending: &str) -> Vec<char> {
    let kept = match measure.defective && !ending.is_empty() {
        true => &stem[..stem.len().saturating_sub(1)],
        false => stem,
    };
    kept.iter().copied().chain(ending.chars()).collect()
}

/// The endings of the past of `measure`: without the bare stem when it is marked.
fn past_endings(measure: &Measure) -> &'static [&'static str] {
    if !measure.past.marked {
        &PAST_ENDINGS
    } else {
        &MARKED_PAST_ENDINGS
    }
}

/// The prefixes and endings of the present of `measure`. Not ت before a three-letter stem
/// alone: such a word is as often a noun (ترك، تمر، تحت), or a name (تونس is no present of
/// the name يونس).
fn present_affixes(measure: &Measure) -> impl Iterator<Item = (&'static str, &'static str)> {
    let short = measure.present.len() == 3;
    PRESENT_PREFIXES
        .into_iter()
        .flat_map(|prefix| {
            PRESENT_ENDINGS
                .into_iter()
                .map(move |ending| (prefix, ending))
        })
        .filter(move |&(prefix, ending)| !(short && prefix == "ت" && ending.is_empty()))
}

/// Whether `word` is a conjugation of `measure` with `root`, not its verbal noun.
fn is_conjugation(measure: &Measure, word: &[char], root: &[char; 3]) -> bool {
    let word: String = word.iter().collect();
    !measure
        .nouns
        .iter()
        .any(|noun| fill(&noun.letters, root) == word)
}

/// Whether a stem holds each of the root's three letters once; a defective measure's, the
/// first two once and not the last, and a weak letter at its end, which endings replace.
fn is_template(letters: &[char], defective: bool) -> bool {
    holds_root(letters, defective)
        && (!defective || matches!(letters.last(), Some('ي' | 'و' | 'ا')))
}

/// Whether a stem or noun holds each of the root letters its measure writes once: all three,
/// or a defective measure's first two and not the last.
fn holds_root(letters: &[char], defective: bool) -> bool {
    let [f, a, l] = ROOT_SLOTS.map(|slot| letters.iter().filter(|&&c| c == slot).count());
    (f, a, l) == (1, 1, usize::from(!defective))
}

/// The root of `word` read as `stem` of `measure` between `prefix` and `ending`.
fn root_with(
    measure: &Measure,
    stem: &[char],
    prefix: &str,
    ending: &str,
    word: &[char],
) -> Option<[char; 3]> {
    let template: Vec<char> = prefix
        .chars()
        .chain(with_ending(measure, stem, ending))
        .collect();
    root_of(measure, &template, word)
}

/// The persons and tenses of `measure` for `root` that news text writes, as they are read
/// (see [`past_endings`] and [`present_affixes`]).
fn conjugations(measure: &Measure, root: &[char; 3]) -> Vec<String> {
    let past: Vec<char> = fill(&measure.past.letters, root).chars().collect();
    let present: Vec<char> = fill(&measure.present, root).chars().collect();
    let past_forms = (past_endings(measure).iter()).map(|e| {
        with_ending(measure, &past, e)
            .into_iter()
            .collect::<String>()
    });
    let present_forms = present_affixes(measure).map(|(p, e)| {
        let stem: String = with_ending(measure, &present, e).into_iter().collect();
        format!("{p}{stem}")
    });
    past_forms.chain(present_forms).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::normalizer::normalize_word;

    fn verbs() -> Verbs {
        Verbs::parse(include_str!("../../index-schema/verbs-ar.txt"))
    }

    /// The forms of `word`: its conjugations, then its verbal nouns (or verbs of a noun).
    fn forms_of(word: &str) -> (Vec<String>, Vec<String>) {
        let (mut conjugations, mut nouns) = (Vec::new(), Vec::new());
        for form in verbs().related(&normalize_word(word)) {
            match form {
                VerbForm::Conjugation(text) => conjugations.push(text),
                VerbForm::VerbalNoun(text) => nouns.push(text),
            }
        }
        (conjugations, nouns)
    }

    fn conjugations_of(word: &str) -> Vec<String> {
        forms_of(word).0
    }

    fn nouns_of(word: &str) -> Vec<String> {
        forms_of(word).1
    }

    #[test]
    fn a_conjugated_verb_finds_its_other_persons_and_tenses() {
        let found = conjugations_of("استهدفت");
        for form in [
            "استهدف",
            "يستهدف",
            "استهدفوا",
            "تستهدف",
            "سيستهدف",
            "يستهدفون",
        ] {
            assert!(found.contains(&form.to_string()), "{form}: {found:?}");
        }
        let found = conjugations_of("يسقط");
        for form in ["اسقطت", "اسقطوا", "سقطت", "سيسقط"] {
            assert!(found.contains(&form.to_string()), "{form}: {found:?}");
        }
        // A marked bare stem is never generated: أكثر "more" is no past of يكثر.
        assert!(!conjugations_of("يكثر").contains(&"اكثر".to_string()));
        assert!(!conjugations_of("يمثل").contains(&"مثل".to_string()));
        assert!(conjugations_of("اعتقلوا").contains(&"اعتقل".to_string()));
        assert!(conjugations_of("يتعاون").contains(&"تعاونت".to_string()));
    }

    #[test]
    fn a_verb_finds_its_verbal_noun_and_the_reverse() {
        assert!(nouns_of("استهدفت").contains(&"استهداف".to_string()));
        assert!(nouns_of("أحبطت").contains(&"احباط".to_string()));
        assert!(nouns_of("فككت").contains(&"تفكيك".to_string()));
        assert!(nouns_of("يكافح").contains(&"مكافحه".to_string()));
        // Read the other way, the verbal noun's verbs are the related forms.
        assert!(nouns_of("اعتقال").contains(&"اعتقل".to_string()));
        assert!(nouns_of("تفكيك").contains(&"يفكك".to_string()));
        assert!(nouns_of("مواجهة").contains(&"يواجه".to_string()));
        // A noun marked in the file only from the measure's own past: أبحاث are papers.
        assert!(!nouns_of("يبحث").contains(&"ابحاث".to_string()));
        assert!(nouns_of("أسقطت").contains(&"اسقاط".to_string()));
        // A hamza of the root on either seat: استئناف, تستأنف.
        assert!(nouns_of("استئناف").contains(&"تستانف".to_string()));
        assert!(nouns_of("استئناف").contains(&"يستانف".to_string()));
    }

    #[test]
    fn a_verb_whose_last_root_letter_is_weak_gives_it_up_to_an_ending() {
        // Measure VIII of ع د و: the weak letter ى of the stem, and ت, وا, ون in its place.
        let found = conjugations_of("اعتدت");
        for form in ["اعتدي", "اعتدوا", "يعتدي", "تعتدي", "سيعتدي", "يعتدون"]
        {
            assert!(found.contains(&form.to_string()), "{form}: {found:?}");
        }
        assert!(nouns_of("اعتدت").contains(&"اعتداء".to_string()));
        // The verbal noun finds its verb; measures X and VII likewise.
        assert!(nouns_of("اعتداء").contains(&"اعتدت".to_string()));
        assert!(nouns_of("يستدعون").contains(&"استدعاء".to_string()));
        assert!(nouns_of("استدعاء").contains(&"استدعت".to_string()));
        assert!(nouns_of("انقضت").contains(&"انقضاء".to_string()));
        // Read as a noun alone (the singular of a plural, a noun without its article).
        assert!(verbs().of_noun("اعتداء").contains(&"يعتدون".to_string()));
        assert!(verbs().of_noun("مداهمه").contains(&"داهمت".to_string()));
        // Never a stem with the weak letter and the ending both (اعتديت, يعتديون).
        assert!(
            !found.iter().any(|f| f == "اعتديت" || f == "يعتديون"),
            "{found:?}"
        );
        // Measures IV and V of such roots are left out: أعضاء (members) is no verbal noun,
        // and تركت (she left) no verb whose noun is تركي (Turkish).
        assert!(verbs().related(&normalize_word("أعضاء")).is_empty());
        assert!(!nouns_of("تركت").contains(&"تركي".to_string()));
    }

    #[test]
    fn a_defective_line_needs_two_root_letters_and_a_weak_end() {
        let verbs = Verbs::parse(
            "[defective]\nافتعى\tفتعي\tافتعاء\nافتعل\tفتعل\nافتع\tفتع\nافتعى\tفتعي\tافتعال\n",
        );
        assert_eq!(verbs.measures.len(), 1);
        assert!(verbs.measures[0].defective);
        // A section of no known kind is skipped whole.
        assert!(Verbs::parse("[other]\nافتعل\tفتعل\n").measures.is_empty());
    }

    #[test]
    fn every_line_of_the_built_in_file_is_a_measure() {
        let text = include_str!("../../index-schema/verbs-ar.txt");
        let lines = (text.lines().map(str::trim))
            .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('['))
            .count();
        assert_eq!(verbs().measures.len(), lines);
    }

    #[test]
    fn words_that_only_look_like_verbs_are_not_read() {
        // Three-letter nouns, agent nouns, elatives and broken plurals in افعال.
        for word in [
            "امن",
            "قاتل",
            "اكبر",
            "احكام",
            "اخبار",
            "تونس",
            "تحت",
            "الامن",
        ] {
            let found = verbs().related(&normalize_word(word));
            assert!(found.is_empty(), "{word}: {found:?}");
        }
        // A plural in ات is no past in ت: the alef is no root letter.
        assert!(verbs().related("قوات").is_empty());
        // The name يونس is read as a present, but never finds تونس.
        assert!(!conjugations_of("يونس").contains(&"تونس".to_string()));
        // A word in ة is a noun: تجارة is no present, and finds no سيجارة.
        assert!(verbs().related(&normalize_word("تجارة")).is_empty());
    }

    #[test]
    fn a_line_without_three_root_letters_is_skipped() {
        let verbs = Verbs::parse("# comment\nفعل\tفعل\nفل\tفعل\nفعل\n");
        assert_eq!(verbs.measures.len(), 1);
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn any_text_reads_without_panic(text in "\\PC{0,200}", word in "[\u{0621}-\u{064A}]{0,12}|\\PC{0,12}") {
            let verbs = Verbs::parse(&text);
            let _ = verbs.related(&word);
            let _ = verbs.of_noun(&word);
            let built_in = Verbs::parse(include_str!("../../index-schema/verbs-ar.txt"));
            let _ = built_in.related(&word);
            let _ = built_in.of_noun(&word);
        }
    }
}
