//! Derives the wide vocabulary of `gen-corpus --vocabulary wide` from Debian's Hunspell
//! dictionaries: `bench/words/wide-ar.txt`, `wide-fr.txt` and `wide-en.txt`.
//!
//! ```text
//! apt-get install hunspell-ar hunspell-fr hunspell-en-us
//! cargo run --release --example derive-words -- --out bench/words
//! ```
//!
//! Each dictionary entry is expanded with its suffix rules (two levels: a suffix and the
//! suffixes its continuation flags allow, as Arabic's pronoun suffixes follow inflections),
//! never with its prefix rules: the generator adds Arabic's proclitics and article itself, at
//! rates it controls, and French and English prefixes are elisions (`l'`, `qu'`) or
//! derivations a corpus needs no more of. `unmunch` (hunspell-tools) does not read the affix
//! aliases (`AF`) the Arabic dictionary uses, hence this small expander of the parts of the
//! `.aff` format those three dictionaries use (`FLAG long`, `AF`, `IGNORE`, `NEEDAFFIX`,
//! `FORBIDDENWORD`, `ONLYINCOMPOUND`, conditions with classes). Words keep only letters
//! (Arabic letters for Arabic; lowercase Latin letters, accents included, for French and
//! English: names and abbreviations are left out); then a fixed number of bare entries and of
//! suffixed forms is kept, the ones with the smallest hash: a sample that the same
//! dictionaries always give alike, whatever their order.

use std::collections::{BTreeMap, BinaryHeap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// How flags are written in a dictionary (`FLAG`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum FlagStyle {
    /// One character per flag (the default).
    Char,
    /// Two characters per flag (`FLAG long`).
    Long,
    /// Numbers separated by commas (`FLAG num`).
    Number,
}

/// One prefix or suffix rule of a flag.
#[derive(Debug, Clone)]
struct Affix {
    strip: String,
    add: String,
    /// The flags of the affixes that may follow this one.
    continuation: Vec<String>,
    condition: Vec<CharClass>,
}

/// One position of a rule's condition.
#[derive(Debug, Clone)]
enum CharClass {
    Any,
    One(char),
    In(Vec<char>),
    NotIn(Vec<char>),
}

impl CharClass {
    fn matches(&self, c: char) -> bool {
        match self {
            CharClass::Any => true,
            CharClass::One(one) => c == *one,
            CharClass::In(set) => set.contains(&c),
            CharClass::NotIn(set) => !set.contains(&c),
        }
    }
}

/// Parses a condition: characters, `.` for any, `[abc]` and `[^abc]`.
fn parse_condition(text: &str) -> Vec<CharClass> {
    let mut classes = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        classes.push(match c {
            '.' => CharClass::Any,
            '[' => {
                let mut set = Vec::new();
                let mut negated = false;
                for (i, c) in chars.by_ref().enumerate() {
                    match c {
                        ']' => break,
                        '^' if i == 0 => negated = true,
                        c => set.push(c),
                    }
                }
                if negated {
                    CharClass::NotIn(set)
                } else {
                    CharClass::In(set)
                }
            }
            c => CharClass::One(c),
        });
    }
    classes
}

/// What a dictionary's `.aff` file says that the expansion needs.
#[derive(Debug, Default)]
struct AffixFile {
    style: Option<FlagStyle>,
    /// `AF` aliases: flag sets by number, from 1.
    aliases: Vec<Vec<String>>,
    suffixes: BTreeMap<String, Vec<Affix>>,
    ignore: Vec<char>,
    /// Flags of entries never written alone (`NEEDAFFIX`), misspellings (`FORBIDDENWORD`),
    /// and compound parts (`ONLYINCOMPOUND`).
    need_affix: Option<String>,
    forbidden: Option<String>,
    only_in_compound: Option<String>,
}

impl AffixFile {
    fn style(&self) -> FlagStyle {
        self.style.unwrap_or(FlagStyle::Char)
    }

    /// The flags written in `text`: an alias's number when the file has aliases.
    fn flags(&self, text: &str) -> Vec<String> {
        if !self.aliases.is_empty()
            && let Ok(n) = text.parse::<usize>()
        {
            return self
                .aliases
                .get(n.wrapping_sub(1))
                .cloned()
                .unwrap_or_default();
        }
        split_flags(text, self.style())
    }

    fn parse(text: &str) -> AffixFile {
        let mut file = AffixFile::default();
        let mut seen_headers: HashSet<(String, String)> = HashSet::new();
        for line in text.lines() {
            let fields: Vec<&str> = line.split_whitespace().collect();
            match fields.as_slice() {
                ["FLAG", "long", ..] => file.style = Some(FlagStyle::Long),
                ["FLAG", "num", ..] => file.style = Some(FlagStyle::Number),
                ["AF", flags, ..] if flags.parse::<usize>().is_err() => {
                    file.aliases.push(split_flags(flags, file.style()));
                }
                ["IGNORE", chars, ..] => file.ignore = chars.chars().collect(),
                ["NEEDAFFIX", flag, ..] => file.need_affix = Some(flag.to_string()),
                ["FORBIDDENWORD", flag, ..] => file.forbidden = Some(flag.to_string()),
                ["ONLYINCOMPOUND", flag, ..] => file.only_in_compound = Some(flag.to_string()),
                ["SFX", flag, cross, count]
                    if matches!(*cross, "Y" | "N") && count.parse::<usize>().is_ok() =>
                {
                    // A block's header; the lines after it are its rules.
                    seen_headers.insert(("SFX".into(), flag.to_string()));
                }
                ["SFX", flag, strip, add, rest @ ..] => {
                    if !seen_headers.contains(&("SFX".to_string(), flag.to_string())) {
                        continue;
                    }
                    let (add, continuation) = match add.split_once('/') {
                        Some((add, flags)) => (add, file.flags(flags)),
                        None => (*add, Vec::new()),
                    };
                    let ignored = |s: &str| -> String {
                        s.chars().filter(|c| !file.ignore.contains(c)).collect()
                    };
                    let zero = |s: &str| if s == "0" { String::new() } else { ignored(s) };
                    let affix = Affix {
                        strip: zero(strip),
                        add: zero(add),
                        continuation,
                        condition: parse_condition(&ignored(rest.first().copied().unwrap_or("."))),
                    };
                    file.suffixes
                        .entry(flag.to_string())
                        .or_default()
                        .push(affix);
                }
                _ => {}
            }
        }
        file
    }

    /// `word` with `affix` as a suffix, when its condition and strip allow it.
    fn suffixed(word: &str, affix: &Affix) -> Option<String> {
        let chars: Vec<char> = word.chars().collect();
        let n = affix.condition.len();
        if n > chars.len() {
            return None;
        }
        let tail = &chars[chars.len() - n..];
        if !affix
            .condition
            .iter()
            .zip(tail)
            .all(|(class, &c)| class.matches(c))
        {
            return None;
        }
        let stem = word.strip_suffix(affix.strip.as_str())?;
        if stem.is_empty() && affix.add.is_empty() {
            return None;
        }
        Some(format!("{stem}{}", affix.add))
    }

    /// A dictionary entry's forms, by `emit(form, is_the_entry_itself)`: the entry, its
    /// suffixed forms, and theirs by the suffixes' continuation flags.
    fn expand(&self, word: &str, flags: &[String], emit: &mut impl FnMut(&str, bool)) {
        let has = |flag: &Option<String>| flag.as_ref().is_some_and(|f| flags.contains(f));
        if has(&self.forbidden) || has(&self.only_in_compound) {
            return;
        }
        if !has(&self.need_affix) {
            emit(word, true);
        }
        for flag in flags {
            for affix in self.suffixes.get(flag).into_iter().flatten() {
                let Some(form) = Self::suffixed(word, affix) else {
                    continue;
                };
                emit(&form, false);
                for next in &affix.continuation {
                    for second in self.suffixes.get(next).into_iter().flatten() {
                        if let Some(form) = Self::suffixed(&form, second) {
                            emit(&form, false);
                        }
                    }
                }
            }
        }
    }
}

fn split_flags(text: &str, style: FlagStyle) -> Vec<String> {
    match style {
        FlagStyle::Char => text.chars().map(String::from).collect(),
        FlagStyle::Long => text
            .chars()
            .collect::<Vec<_>>()
            .chunks(2)
            .map(|pair| pair.iter().collect())
            .collect(),
        FlagStyle::Number => text.split(',').map(str::to_string).collect(),
    }
}

/// A dictionary line's word and flags (`word/flags` and morphological fields after it).
fn dictionary_entry<'a>(line: &'a str, affixes: &AffixFile) -> Option<(String, Vec<String>)> {
    let first = line.split(['\t', ' ']).next()?;
    if first.is_empty() {
        return None;
    }
    let (word, flags): (&'a str, Vec<String>) = match first.split_once('/') {
        Some((word, flags)) => (word, affixes.flags(flags)),
        None => (first, Vec::new()),
    };
    let word: String = word
        .chars()
        .filter(|c| !affixes.ignore.contains(c))
        .collect();
    Some((word, flags))
}

/// Which words a list keeps.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Script {
    /// Arabic letters (hamza to yeh) only.
    Arabic,
    /// Lowercase letters only (no names, no abbreviations, no hyphens or apostrophes).
    LowercaseLatin,
}

impl Script {
    fn keeps(self, word: &str) -> bool {
        let letters = word.chars().count();
        if !(2..=18).contains(&letters) {
            return false;
        }
        match self {
            Script::Arabic => word.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c)),
            Script::LowercaseLatin => word.chars().all(|c| c.is_alphabetic() && c.is_lowercase()),
        }
    }
}

/// FNV-1a: a hash that never changes with the Rust version, for a reproducible sample.
fn stable_hash(word: &str) -> u64 {
    word.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The `k` distinct words of smallest hash among those offered: a sample that depends only on
/// the set of words offered.
struct BottomK {
    k: usize,
    heap: BinaryHeap<(u64, String)>,
    held: HashSet<u64>,
}

impl BottomK {
    fn new(k: usize) -> BottomK {
        BottomK {
            k,
            heap: BinaryHeap::new(),
            held: HashSet::new(),
        }
    }

    fn offer(&mut self, word: &str) {
        let hash = stable_hash(word);
        if self.held.contains(&hash) {
            return;
        }
        if self.heap.len() == self.k {
            match self.heap.peek() {
                Some((largest, _)) if hash < *largest => {}
                _ => return,
            }
            if let Some((largest, _)) = self.heap.pop() {
                self.held.remove(&largest);
            }
        }
        self.held.insert(hash);
        self.heap.push((hash, word.to_string()));
    }

    /// The sample, in hash order.
    fn words(self) -> Vec<String> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|(_, w)| w)
            .collect()
    }
}

/// The sample of a dictionary: `bare` entries as written and `inflected` suffixed forms (not
/// also an entry of the sample), in hash order, bare ones first. Also how many distinct
/// forms were offered of each kind (an upper bound: forms are counted once per entry).
struct Derived {
    words: Vec<String>,
    offered_bare: usize,
    offered_inflected: usize,
}

fn derive(dic: &str, aff: &str, script: Script, bare: usize, inflected: usize) -> Derived {
    let affixes = AffixFile::parse(aff);
    let (mut bare_sample, mut inflected_sample) = (BottomK::new(bare), BottomK::new(inflected));
    let (mut offered_bare, mut offered_inflected) = (0, 0);
    // The first line is the entry count.
    for line in dic.lines().skip(1) {
        let Some((word, flags)) = dictionary_entry(line, &affixes) else {
            continue;
        };
        affixes.expand(&word, &flags, &mut |form, is_entry| {
            if !script.keeps(form) {
                return;
            }
            if is_entry {
                offered_bare += 1;
                bare_sample.offer(form);
            } else {
                offered_inflected += 1;
                inflected_sample.offer(form);
            }
        });
    }
    let mut words = bare_sample.words();
    let seen: HashSet<String> = words.iter().cloned().collect();
    words.extend(
        inflected_sample
            .words()
            .into_iter()
            .filter(|w| !seen.contains(w)),
    );
    Derived {
        words,
        offered_bare,
        offered_inflected,
    }
}

/// One list to derive: the dictionary, its Debian package and licence, the sample's sizes.
struct Source {
    list: &'static str,
    dictionary: &'static str,
    package: &'static str,
    licence: &'static str,
    script: Script,
    bare: usize,
    inflected: usize,
}

const SOURCES: &[Source] = &[
    Source {
        list: "wide-ar.txt",
        dictionary: "ar",
        package: "hunspell-ar",
        licence: "Ayaspell, (c) 2006-2008 Mohamed Kebdani; GPL 2.0 / LGPL 2.1 / MPL 1.1, at your choice (/usr/share/doc/hunspell-ar/copyright)",
        script: Script::Arabic,
        bare: 60_000,
        inflected: 90_000,
    },
    Source {
        list: "wide-fr.txt",
        dictionary: "fr",
        package: "hunspell-fr-classical",
        licence: "Dicollecte (Grammalecte) French dictionary, 2007-2018 Dicollecte contributors; MPL 2.0 (/usr/share/doc/hunspell-fr-classical/copyright)",
        script: Script::LowercaseLatin,
        bare: 30_000,
        inflected: 30_000,
    },
    Source {
        list: "wide-en.txt",
        dictionary: "en_US",
        package: "hunspell-en-us",
        licence: "SCOWL-based en_US dictionary, (c) 2000-2011 Kevin Atkinson and others; permissive SCOWL licence (BSD-like, with the WordNet 1.6 notice) (/usr/share/doc/hunspell-en-us/copyright)",
        script: Script::LowercaseLatin,
        bare: 30_000,
        inflected: 30_000,
    },
];

fn package_version(package: &str) -> String {
    std::process::Command::new("dpkg-query")
        .args(["-W", "-f", "${Version}", package])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_else(|| "unknown".into())
}

fn write_list(source: &Source, hunspell: &Path, out: &Path) -> Result<usize, String> {
    let read = |ext: &str| {
        let path = hunspell.join(format!("{}.{ext}", source.dictionary));
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let derived = derive(
        &read("dic")?,
        &read("aff")?,
        source.script,
        source.bare,
        source.inflected,
    );
    let mut text = format!(
        "# Derived from Debian's {} {} ({}.dic and {}.aff) by `cargo run --release --example \
         derive-words -- --out bench/words`:\n# entries and their suffixed forms, {} of {} entries \
         and {} of {} suffixed forms kept (the smallest FNV-1a hashes).\n# Licence: {}.\n",
        source.package,
        package_version(source.package),
        source.dictionary,
        source.dictionary,
        source.bare.min(derived.offered_bare),
        derived.offered_bare,
        source.inflected.min(derived.offered_inflected),
        derived.offered_inflected,
        source.licence,
    );
    for word in &derived.words {
        text.push_str(word);
        text.push('\n');
    }
    let path = out.join(source.list);
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(derived.words.len())
}

fn main() -> ExitCode {
    let mut out = PathBuf::from("bench/words");
    let mut hunspell = PathBuf::from("/usr/share/hunspell");
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next();
        match (flag.as_str(), value) {
            ("--out", Some(v)) => out = PathBuf::from(v),
            ("--hunspell", Some(v)) => hunspell = PathBuf::from(v),
            (flag, _) => {
                eprintln!("derive-words: error: unknown argument or missing value: {flag}");
                return ExitCode::from(2);
            }
        }
    }
    for source in SOURCES {
        match write_list(source, &hunspell, &out) {
            Ok(n) => eprintln!(
                "derive-words: {} words in {}",
                n,
                out.join(source.list).display()
            ),
            Err(e) => {
                eprintln!("derive-words: error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    const AFF: &str = "SET UTF-8\nFLAG long\nIGNORE َ\nAF 2\nAF SaSb # 1\nAF Sb # 2\n\
        SFX Sa Y 2\nSFX Sa ة ات/2 ة\nSFX Sa 0 ين [^ة]\n\
        SFX Sb Y 1\nSFX Sb 0 هم .\n";

    fn forms(aff: &str, line: &str) -> Vec<(String, bool)> {
        let affixes = AffixFile::parse(aff);
        let (word, flags) = dictionary_entry(line, &affixes).expect("an entry");
        let mut out = Vec::new();
        affixes.expand(&word, &flags, &mut |w, bare| {
            out.push((w.to_string(), bare))
        });
        out
    }

    #[test]
    fn aliases_conditions_strips_and_continuations_are_followed() {
        let got = forms(AFF, "شرطة/1\tpo:noun");
        let words: Vec<&str> = got.iter().map(|(w, _)| w.as_str()).collect();
        // ة is stripped before ات; ين needs a stem not ending in ة; ات allows هم after it.
        assert_eq!(words, ["شرطة", "شرطات", "شرطاتهم", "شرطةهم"]);
        assert!(got[0].1 && got[1..].iter().all(|(_, bare)| !bare));
        let words: Vec<String> = forms(AFF, "معلم/1").into_iter().map(|(w, _)| w).collect();
        assert_eq!(words, ["معلم", "معلمين", "معلمهم"]);
    }

    #[test]
    fn ignored_marks_are_removed_from_entries() {
        let words: Vec<String> = forms(AFF, "مَعلم").into_iter().map(|(w, _)| w).collect();
        assert_eq!(words, ["معلم"]);
    }

    #[test]
    fn need_affix_forbidden_and_single_char_flags() {
        let aff = "NEEDAFFIX !\nFORBIDDENWORD *\nSFX s Y 1\nSFX s y ies [^aeiou]y\nSFX d Y 1\nSFX d 0 ed [^y]\n";
        let words: Vec<String> = forms(aff, "spy/s!").into_iter().map(|(w, _)| w).collect();
        assert_eq!(words, ["spies"]);
        assert!(forms(aff, "teh/*d").is_empty());
        let words: Vec<String> = forms(aff, "arrest/d").into_iter().map(|(w, _)| w).collect();
        assert_eq!(words, ["arrest", "arrested"]);
    }

    #[test]
    fn scripts_keep_only_their_words() {
        assert!(Script::Arabic.keeps("الشرطة"));
        assert!(!Script::Arabic.keeps("ش"));
        assert!(!Script::Arabic.keeps("شرطةx"));
        assert!(Script::LowercaseLatin.keeps("démantèlement"));
        assert!(!Script::LowercaseLatin.keeps("Paris"));
        assert!(!Script::LowercaseLatin.keeps("aujourd'hui"));
    }

    #[test]
    fn the_sample_is_the_same_whatever_the_order_and_has_no_duplicates() {
        let words: Vec<String> = (0..500).map(|i| format!("w{i}")).collect();
        let sample = |order: &mut dyn Iterator<Item = &String>| {
            let mut k = BottomK::new(50);
            for w in order {
                k.offer(w);
                k.offer(w);
            }
            k.words()
        };
        let forward = sample(&mut words.iter());
        let backward = sample(&mut words.iter().rev());
        assert_eq!(forward.len(), 50);
        assert_eq!(forward, backward);
        let distinct: HashSet<&String> = forward.iter().collect();
        assert_eq!(distinct.len(), 50);
    }

    #[test]
    fn derive_keeps_bare_entries_then_inflected_forms() {
        let dic = "3\nشرطة/1\nمعلم/1\nكتاب/2\n";
        let derived = derive(dic, AFF, Script::Arabic, 10, 10);
        assert_eq!(derived.offered_bare, 3);
        assert_eq!(derived.words[..3].len(), 3);
        for bare in ["شرطة", "معلم", "كتاب"] {
            assert!(derived.words[..3].contains(&bare.to_string()));
        }
        assert!(derived.words.contains(&"شرطاتهم".to_string()));
        assert!(derived.words.contains(&"كتابهم".to_string()));
        let small = derive(dic, AFF, Script::Arabic, 1, 2);
        assert_eq!(small.words.len(), 3);
    }

    #[test]
    fn garbage_dictionaries_do_not_panic() {
        for aff in [
            "SFX",
            "SFX a Y x\nSFX a 0",
            "AF\nFLAG long\nSFX ab Y 1\nSFX ab 0 [ [\n",
        ] {
            let derived = derive("x\n\n/\n///\nabc/ab\n", aff, Script::LowercaseLatin, 5, 5);
            assert!(
                derived
                    .words
                    .iter()
                    .all(|w| Script::LowercaseLatin.keeps(w))
            );
        }
    }
}
