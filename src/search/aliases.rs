//! Entity aliases: the many names of one group, agency, place or person, across scripts and
//! spellings (داعش / تنظيم الدولة / ISIS / Daech). A query word or quoted phrase that is one
//! member of a group also matches every other member, at a lower weight than the name as
//! written. The groups are data: `index-schema/aliases.toml`, plus a user's own file. A group
//! written `[[country]]` (a country or region) also finds its Arabic name's nisba adjective,
//! by which the press names its army, police or borders (الجيش اللبناني for `Lebanon`).

use std::borrow::Cow;
use std::path::Path;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::Deserialize;
use toml::Spanned;

use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::normalizer::is_invisible_mark;
use crate::analysis::tokenizer::is_arabic_script;
use crate::analysis::{ANALYZER_VERSION, WordLists, surface_analyzer, terms};
use crate::schema::{Parser, SchemaError, read_data_file};

/// The alias file built into the binary.
const BUILTIN_ALIASES: &str = include_str!("../../index-schema/aliases.toml");
/// The built-in groups with their members' keys, computed ahead (see [`AliasTable::builtin`]).
const BUILTIN_KEYS: &str = include_str!("../../index-schema/alias-keys.txt");
/// Where the keys are, for the test that writes them.
#[cfg(test)]
const BUILTIN_KEYS_PATH: &str = "index-schema/alias-keys.txt";
/// The built-in alias file's hash (FNV-1a, 64 bits, from `build.rs`): its precomputed keys are
/// used only when they were computed from this text.
const BUILTIN_HASH: &str = env!("RASD_ALIASES_HASH");

/// Weight of an alias relative to the name as written.
pub const ALIAS_BOOST: f64 = 0.25;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasFile {
    #[serde(rename = "group", default)]
    groups: Vec<GroupEntry>,
    #[serde(rename = "country", default)]
    countries: Vec<GroupEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupEntry {
    name: Spanned<String>,
    members: Spanned<Vec<Spanned<String>>>,
}

/// Alias groups, looked up by the normalized form of a name. The built-in table's texts
/// borrow from the keys built into the binary ([`Self::builtin`]): every search reads its 400
/// members, which one allocation per name, member and key made most of the cost of.
#[derive(Debug, Default, Clone)]
pub struct AliasTable {
    /// Each group's name.
    names: Vec<Cow<'static, str>>,
    /// Each group's members, as written, with their keys.
    groups: Vec<Vec<(Cow<'static, str>, Cow<'static, str>)>>,
    /// Whether each group names a country or region (`[[country]]`).
    countries: Vec<bool>,
    /// Member key → its group. Fx hashing: SipHash was most of reading the built-in keys.
    by_key: FxHashMap<Cow<'static, str>, usize>,
}

/// A group's name and members, refused with the line of the first that cannot be one: a
/// group without members, and a name or member that is blank or holds a control character
/// (a tab, a line break, an escape) or an invisible mark (a direction mark, a byte-order
/// mark), which no article's text can match as written.
fn checked(parser: &Parser, entry: GroupEntry) -> Result<(String, Vec<String>), SchemaError> {
    let unusable = |text: &str| {
        if text.trim().is_empty() {
            Some("is empty")
        } else if text.chars().any(char::is_control) {
            Some("holds a control character")
        } else if text.chars().any(is_invisible_mark) {
            Some("holds an invisible mark (a direction or byte-order mark)")
        } else {
            None
        }
    };
    let name_at = entry.name.span().start;
    let name = entry.name.into_inner();
    if let Some(problem) = unusable(&name) {
        return Err(parser.error_at(Some(name_at), format!("a group's name {problem}")));
    }
    let members_at = entry.members.span().start;
    let members = entry.members.into_inner();
    if members.is_empty() {
        let message = format!("group `{name}` has no members");
        return Err(parser.error_at(Some(members_at), message));
    }
    let mut checked = Vec::with_capacity(members.len());
    for member in members {
        let at = member.span().start;
        let member = member.into_inner();
        if let Some(problem) = unusable(&member) {
            let message = format!("group `{name}`: a member {problem}");
            return Err(parser.error_at(Some(at), message));
        }
        checked.push(member);
    }
    Ok((name, checked))
}

/// A name's key: its surface terms (normalized, lowercased, accents folded), space-separated,
/// stop words kept, so that `Al-Qaïda` and `al qaida` meet.
fn key(analyzer: &mut TextAnalyzer, name: &str) -> String {
    terms(analyzer, name).join(" ")
}

/// French words elided before a vowel (`l'`, `d'`, `qu'`…), as the key analyzer leaves them.
const FRENCH_ELIDED: [&str; 9] = ["l", "d", "qu", "j", "n", "s", "c", "m", "t"];

/// The analyzer of keys: the surface view without stop words.
fn key_analyzer() -> TextAnalyzer {
    surface_analyzer(&WordLists::default())
}

impl AliasTable {
    /// Reads an alias file; `origin` names it in errors.
    pub fn parse(origin: &str, text: &str) -> Result<AliasTable, SchemaError> {
        let parser = Parser::new(origin, text);
        let file: AliasFile = parser.parse()?;
        let mut groups = Vec::new();
        let entries = (file.groups.into_iter().map(|g| (g, false)))
            .chain(file.countries.into_iter().map(|g| (g, true)));
        for (entry, country) in entries {
            let (name, members) = checked(&parser, entry)?;
            groups.push((name, members, country));
        }
        let mut table = AliasTable::default();
        table.add(groups);
        Ok(table)
    }

    /// Reads a user's alias file.
    pub fn from_file(path: &Path) -> Result<AliasTable, SchemaError> {
        let (origin, text) = read_data_file(path)?;
        Self::parse(&origin, &text)
    }

    /// The groups built into the binary (`index-schema/aliases.toml`), read once: from their
    /// keys computed ahead (`index-schema/alias-keys.txt`) when those are up to date, so that a
    /// search neither parses the TOML nor analyzes every member; from the file otherwise.
    pub fn builtin() -> &'static AliasTable {
        static BUILTIN: OnceLock<AliasTable> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            AliasTable::read_keys(BUILTIN_KEYS, BUILTIN_HASH).unwrap_or_else(|| {
                AliasTable::parse("built-in aliases", BUILTIN_ALIASES)
                    .expect("the built-in alias file is valid")
            })
        })
    }

    /// The table as [`Self::read_keys`] reads it, computed from the alias file of hash `hash`
    /// by this version of the analyzer (`RASD_UPDATE_ALIAS_KEYS=1 cargo test --lib
    /// search::aliases` writes it for the built-in file; the test fails when it is out of
    /// date). The file: `#` comments, a header line `aliases HASH ANALYZER`, then each group's
    /// name on a line of its own (`NAME<tab>country` for a country), followed by one line per
    /// member, `<tab>MEMBER<tab>KEY`.
    #[cfg(test)]
    fn write_keys(&self, hash: &str) -> String {
        let mut out = format!(
            "# The built-in alias groups (index-schema/aliases.toml) with each member's key, \
             computed ahead so that a\n# search does not parse and analyze the file. Written by \
             `RASD_UPDATE_ALIAS_KEYS=1 cargo test --lib\n# search::aliases`; do not edit. \
             Format: src/search/aliases.rs, `AliasTable::write_keys`.\naliases {hash} \
             {ANALYZER_VERSION}\n"
        );
        for ((name, members), country) in self.names.iter().zip(&self.groups).zip(&self.countries) {
            match country {
                true => out.push_str(&format!("{name}\tcountry\n")),
                false => out.push_str(&format!("{name}\n")),
            }
            for (member, key) in members {
                out.push_str(&format!("\t{member}\t{key}\n"));
            }
        }
        out
    }

    /// The table [`Self::write_keys`] wrote, when it was computed from an alias file of hash
    /// `hash` by this version of the analyzer; `None` when it is stale or malformed.
    fn read_keys(keys: &'static str, hash: &str) -> Option<AliasTable> {
        let mut lines = keys.lines().skip_while(|line| line.starts_with('#'));
        let header: Vec<&str> = lines.next()?.split(' ').collect();
        let ["aliases", file_hash, analyzer] = header[..] else {
            return None;
        };
        if file_hash != hash || analyzer.parse() != Ok(ANALYZER_VERSION) {
            return None;
        }
        // Sized once: growing it, member by member, was a third of reading the keys.
        let members = keys.matches("\n\t").count();
        let mut table = AliasTable {
            by_key: FxHashMap::with_capacity_and_hasher(members, Default::default()),
            ..AliasTable::default()
        };
        for line in lines {
            let Some(member) = line.strip_prefix('\t') else {
                let (name, country) = match line.split_once('\t') {
                    Some((name, "country")) => (name, true),
                    Some(_) => return None,
                    None => (line, false),
                };
                table.names.push(Cow::Borrowed(name));
                table.groups.push(vec![]);
                table.countries.push(country);
                continue;
            };
            let (member, key) = member.split_once('\t')?;
            let group = table.groups.len().checked_sub(1)?;
            table.by_key.insert(Cow::Borrowed(key), group);
            table.groups[group].push((Cow::Borrowed(member), Cow::Borrowed(key)));
        }
        Some(table)
    }

    /// Adds named groups, each marked a country or not; a group sharing a member with a known
    /// one joins it (a country if either is).
    fn add(&mut self, groups: impl IntoIterator<Item = (String, Vec<String>, bool)>) {
        let mut analyzer = key_analyzer();
        for (name, members, country) in groups {
            let keyed: Vec<(String, String)> = members
                .into_iter()
                .map(|m| {
                    let k = key(&mut analyzer, &m);
                    (m, k)
                })
                .collect();
            let existing = keyed
                .iter()
                .find_map(|(_, k)| self.by_key.get(k.as_str()).copied());
            let group = existing.unwrap_or_else(|| {
                self.names.push(Cow::Owned(name));
                self.groups.push(vec![]);
                self.countries.push(false);
                self.groups.len() - 1
            });
            self.countries[group] |= country;
            for (member, k) in keyed {
                if k.is_empty() || self.by_key.contains_key(k.as_str()) {
                    continue;
                }
                self.by_key.insert(Cow::Owned(k.clone()), group);
                self.groups[group].push((Cow::Owned(member), Cow::Owned(k)));
            }
        }
    }

    /// This table with another's groups added.
    pub fn merged(&self, other: &AliasTable) -> AliasTable {
        let mut merged = self.clone();
        let groups = (other.names.iter().zip(&other.groups).zip(&other.countries)).map(
            |((name, members), country)| {
                let members = members.iter().map(|(m, _)| m.to_string()).collect();
                (name.to_string(), members, *country)
            },
        );
        merged.add(groups);
        merged
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether the table has no group.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The group of `name`, and `name`'s key.
    fn lookup(&self, name: &str) -> Option<(usize, String)> {
        // One analyzer per thread: a query looks up each of its words and their aliases'
        // members, and building the analyzer cost more than the lookup.
        thread_local! {
            static ANALYZER: std::cell::RefCell<TextAnalyzer> =
                std::cell::RefCell::new(key_analyzer());
        }
        let own = ANALYZER.with(|analyzer| key(&mut analyzer.borrow_mut(), name));
        if let Some(&group) = self.by_key.get(own.as_str()) {
            return Some((group, own));
        }
        // French writes a name after an elided article (`l'État islamique`, `d'Al-Qaïda`),
        // which the key keeps as a word of its own: the member is the name without it.
        let (first, rest) = own.split_once(' ')?;
        let group = *self
            .by_key
            .get(rest)
            .filter(|_| FRENCH_ELIDED.contains(&first))?;
        Some((group, own))
    }

    /// The name of the group `name` belongs to.
    pub fn group_of(&self, name: &str) -> Option<&str> {
        self.lookup(name)
            .map(|(group, _)| self.names[group].as_ref())
    }

    /// Whether `name`'s group has a member of one word in Arabic letters (`Rabat`: الرباط).
    pub fn has_one_word_arabic_alias(&self, name: &str) -> bool {
        let arabic = |m: &str| m.chars().any(is_arabic_script);
        self.lookup(name).is_some_and(|(group, _)| {
            (self.groups[group].iter()).any(|(m, _)| arabic(m) && !m.contains(char::is_whitespace))
        })
    }

    /// Whether `name` names a country or region (a member of a `[[country]]` group).
    pub fn is_country(&self, name: &str) -> bool {
        self.lookup(name)
            .is_some_and(|(group, _)| self.countries[group])
    }

    /// The other members of the group `name` belongs to (none when it belongs to none).
    pub fn aliases_of(&self, name: &str) -> Vec<String> {
        let Some((group, own)) = self.lookup(name) else {
            return vec![];
        };
        self.groups[group]
            .iter()
            .filter(|(_, k)| *k != own)
            .map(|(m, _)| m.to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_after_a_french_elided_article_is_the_name() {
        let table = table();
        assert_eq!(table.group_of("l'ISIS"), Some("IS"));
        assert_eq!(table.group_of("d'Al-Qaïda"), Some("AQ"));
        assert!(table.aliases_of("l'ISIS").contains(&"ISIS".to_string()));
        assert_eq!(table.group_of("x ISIS"), None);
    }

    fn table() -> AliasTable {
        AliasTable::parse(
            "test.toml",
            "[[group]]\nname = \"IS\"\nmembers = [\"داعش\", \"تنظيم الدولة\", \"ISIS\", \"Daech\"]\n\n[[group]]\nname = \"AQ\"\nmembers = [\"القاعدة\", \"Al-Qaïda\"]\n",
        )
        .unwrap()
    }

    #[test]
    fn a_member_finds_the_others_whatever_its_spelling() {
        let t = table();
        assert_eq!(t.aliases_of("isis"), ["داعش", "تنظيم الدولة", "Daech"]);
        assert_eq!(t.aliases_of("تَنْظِيمُ الدَّوْلَةِ"), ["داعش", "ISIS", "Daech"]);
        assert_eq!(t.aliases_of("al qaida"), ["القاعدة"]);
        assert_eq!(t.aliases_of("القاعده"), ["Al-Qaïda"]);
        assert!(t.aliases_of("الدولة").is_empty());
    }

    #[test]
    fn user_groups_join_built_in_ones() {
        let user = AliasTable::parse(
            "mine.toml",
            "[[group]]\nname = \"IS\"\nmembers = [\"Daesh\", \"daech\"]\n",
        )
        .unwrap();
        let merged = table().merged(&user);
        assert_eq!(merged.len(), 2);
        assert!(merged.aliases_of("ISIS").contains(&"Daesh".to_string()));
    }

    #[test]
    fn a_country_stays_one_when_a_group_joins_it() {
        let countries = AliasTable::parse(
            "test.toml",
            "[[country]]\nname = \"Lebanon\"\nmembers = [\"لبنان\", \"Lebanon\"]\n\n[[group]]\nname = \"Beirut\"\nmembers = [\"بيروت\", \"Beirut\"]\n",
        )
        .unwrap();
        assert!(countries.is_country("لبنان") && countries.is_country("lebanon"));
        assert!(!countries.is_country("Beirut") && !countries.is_country("Liban"));
        let user = AliasTable::parse(
            "mine.toml",
            "[[group]]\nname = \"L\"\nmembers = [\"Liban\", \"Lebanon\"]\n\n[[country]]\nname = \"B\"\nmembers = [\"Beyrouth\", \"Beirut\"]\n",
        )
        .unwrap();
        let merged = countries.merged(&user);
        assert_eq!(merged.len(), 2);
        assert!(merged.is_country("Liban"), "a group joining a country");
        assert!(merged.is_country("بيروت"), "a country joining a group");
    }

    #[test]
    fn malformed_files_name_the_line() {
        let err =
            AliasTable::parse("mine.toml", "[[group]]\nname = \"x\"\nmember = []\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.to_string().starts_with("mine.toml:3: "), "{err}");
        // Groups no article can be found through: refused with their line.
        for (members, line, message) in [
            ("[]", 3, "group `x` has no members"),
            ("[\"a\",\n  \"  \"]", 4, "group `x`: a member is empty"),
            (
                "[\"a\\tb\"]",
                3,
                "group `x`: a member holds a control character",
            ),
            (
                "[\"\\u001b[31mred\"]",
                3,
                "a member holds a control character",
            ),
            ("[\"\\u200fx\"]", 3, "a member holds an invisible mark"),
            ("[\"\\ufeffx\"]", 3, "a member holds an invisible mark"),
        ] {
            let text = format!("[[country]]\nname = \"x\"\nmembers = {members}\n");
            let err = AliasTable::parse("mine.toml", &text).unwrap_err();
            assert_eq!(err.line, Some(line), "{text}: {err}");
            assert!(err.to_string().contains(message), "{text}: {err}");
        }
        let err = AliasTable::parse("mine.toml", "[[group]]\nname = \"\"\nmembers = [\"a\"]\n")
            .unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        assert!(err.to_string().contains("a group's name is empty"), "{err}");
    }

    #[test]
    fn the_built_in_alias_keys_are_up_to_date() {
        let parsed = AliasTable::parse("built-in aliases", BUILTIN_ALIASES).unwrap();
        let keys = parsed.write_keys(BUILTIN_HASH);
        if std::env::var_os("RASD_UPDATE_ALIAS_KEYS").is_some() {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(BUILTIN_KEYS_PATH);
            std::fs::write(&path, &keys).unwrap();
            return;
        }
        assert!(
            keys == BUILTIN_KEYS,
            "{BUILTIN_KEYS_PATH} is out of date (the alias file or the analyzer changed): write \
             it again with `RASD_UPDATE_ALIAS_KEYS=1 cargo test --lib search::aliases`"
        );
        // Read back, the table is the one parsed from the file.
        let read = AliasTable::read_keys(BUILTIN_KEYS, BUILTIN_HASH).expect("up to date");
        assert_eq!(read.names, parsed.names);
        assert_eq!(read.groups, parsed.groups);
        assert_eq!(read.by_key, parsed.by_key);
        assert_eq!(read.countries, parsed.countries);
        assert!(read.is_country("Lebanon") && read.is_country("أوروبا"));
        assert!(!read.is_country("Daech") && !read.is_country("Rabat"));
        // Stale keys (another file, another analyzer) and damaged ones are not used.
        assert!(AliasTable::read_keys(BUILTIN_KEYS, "0000000000000000").is_none());
        let other_analyzer = BUILTIN_KEYS.replacen(
            &format!("{BUILTIN_HASH} {ANALYZER_VERSION}\n"),
            &format!("{BUILTIN_HASH} {}\n", ANALYZER_VERSION + 1),
            1,
        );
        assert!(AliasTable::read_keys(other_analyzer.leak(), BUILTIN_HASH).is_none());
        let header = format!("aliases {BUILTIN_HASH} {ANALYZER_VERSION}\n");
        // A member without its key, or before any group's name.
        let damaged = format!("{header}IS\n\tداعش\n");
        assert!(AliasTable::read_keys(damaged.leak(), BUILTIN_HASH).is_none());
        let damaged = format!("{header}\tداعش\tداعش\n");
        assert!(AliasTable::read_keys(damaged.leak(), BUILTIN_HASH).is_none());
    }

    #[test]
    fn the_built_in_file_is_valid_and_rich() {
        let builtin = AliasTable::builtin();
        assert!(builtin.len() >= 40, "{}", builtin.len());
        assert!(builtin.aliases_of("Daech").contains(&"داعش".to_string()));
        assert_eq!(table().group_of("Daech"), Some("IS"));
    }
}
