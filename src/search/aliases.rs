//! Entity aliases: the many names of one group, agency, place or person, across scripts and
//! spellings (داعش / تنظيم الدولة / ISIS / Daech). A query word or quoted phrase that is one
//! member of a group also matches every other member, at a lower weight than the name as
//! written. The groups are data: `index-schema/aliases.toml`, plus a user's own file.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use serde::Deserialize;

use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::{WordLists, surface_analyzer, terms};
use crate::schema::{Parser, SchemaError, read_data_file};

/// The alias file built into the binary.
const BUILTIN_ALIASES: &str = include_str!("../../index-schema/aliases.toml");

/// Weight of an alias relative to the name as written.
pub const ALIAS_BOOST: f64 = 0.25;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasFile {
    #[serde(rename = "group", default)]
    groups: Vec<GroupEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupEntry {
    name: String,
    members: Vec<String>,
}

/// Alias groups, looked up by the normalized form of a name.
#[derive(Debug, Default, Clone)]
pub struct AliasTable {
    /// Each group's name.
    names: Vec<String>,
    /// Each group's members, as written, with their keys.
    groups: Vec<Vec<(String, String)>>,
    /// Member key → its group.
    by_key: HashMap<String, usize>,
}

/// A name's key: its surface terms (normalized, lowercased, accents folded), space-separated,
/// stop words kept, so that `Al-Qaïda` and `al qaida` meet.
fn key(analyzer: &mut TextAnalyzer, name: &str) -> String {
    terms(analyzer, name).join(" ")
}

/// The analyzer of keys: the surface view without stop words.
fn key_analyzer() -> TextAnalyzer {
    surface_analyzer(&WordLists::default())
}

impl AliasTable {
    /// Reads an alias file; `origin` names it in errors.
    pub fn parse(origin: &str, text: &str) -> Result<AliasTable, SchemaError> {
        let file: AliasFile = Parser::new(origin, text).parse()?;
        let mut table = AliasTable::default();
        table.add(file.groups.into_iter().map(|g| (g.name, g.members)));
        Ok(table)
    }

    /// Reads a user's alias file.
    pub fn from_file(path: &Path) -> Result<AliasTable, SchemaError> {
        let (origin, text) = read_data_file(path)?;
        Self::parse(&origin, &text)
    }

    /// The groups built into the binary (`index-schema/aliases.toml`), read once.
    pub fn builtin() -> &'static AliasTable {
        static BUILTIN: OnceLock<AliasTable> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            AliasTable::parse("built-in aliases", BUILTIN_ALIASES)
                .expect("the built-in alias file is valid")
        })
    }

    /// Adds named groups; a group sharing a member with a known one joins it.
    fn add(&mut self, groups: impl IntoIterator<Item = (String, Vec<String>)>) {
        let mut analyzer = key_analyzer();
        for (name, members) in groups {
            let keyed: Vec<(String, String)> = members
                .into_iter()
                .map(|m| {
                    let k = key(&mut analyzer, &m);
                    (m, k)
                })
                .collect();
            let existing = keyed.iter().find_map(|(_, k)| self.by_key.get(k).copied());
            let group = existing.unwrap_or_else(|| {
                self.names.push(name);
                self.groups.push(vec![]);
                self.groups.len() - 1
            });
            for (member, k) in keyed {
                if k.is_empty() || self.by_key.contains_key(&k) {
                    continue;
                }
                self.by_key.insert(k.clone(), group);
                self.groups[group].push((member, k));
            }
        }
    }

    /// This table with another's groups added.
    pub fn merged(&self, other: &AliasTable) -> AliasTable {
        let mut merged = self.clone();
        let groups = other
            .groups
            .iter()
            .map(|g| g.iter().map(|(m, _)| m.clone()).collect());
        merged.add(other.names.iter().cloned().zip(groups));
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
        let own = key(&mut key_analyzer(), name);
        self.by_key.get(&own).map(|&group| (group, own))
    }

    /// The name of the group `name` belongs to.
    pub fn group_of(&self, name: &str) -> Option<&str> {
        self.lookup(name)
            .map(|(group, _)| self.names[group].as_str())
    }

    /// The other members of the group `name` belongs to (none when it belongs to none).
    pub fn aliases_of(&self, name: &str) -> Vec<String> {
        let Some((group, own)) = self.lookup(name) else {
            return vec![];
        };
        self.groups[group]
            .iter()
            .filter(|(_, k)| *k != own)
            .map(|(m, _)| m.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn malformed_files_name_the_line() {
        let err =
            AliasTable::parse("mine.toml", "[[group]]\nname = \"x\"\nmember = []\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.to_string().starts_with("mine.toml:3: "), "{err}");
    }

    #[test]
    fn the_built_in_file_is_valid_and_rich() {
        let builtin = AliasTable::builtin();
        assert!(builtin.len() >= 40, "{}", builtin.len());
        assert!(builtin.aliases_of("Daech").contains(&"داعش".to_string()));
        assert_eq!(table().group_of("Daech"), Some("IS"));
    }
}
