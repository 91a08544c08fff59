//! What the end-to-end tests share: a temporary archive and index, and the `rasd` binary.

#![allow(dead_code)] // each test crate uses its own part of this module

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// An archive folder and an index folder, both temporary.
pub struct Workspace {
    pub dir: TempDir,
}

impl Workspace {
    pub fn new() -> Self {
        Workspace {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn archive(&self) -> PathBuf {
        self.dir.path().join("archive")
    }

    pub fn index_path(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    pub fn write(&self, relative: &str, content: &str) -> PathBuf {
        let path = self.archive().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }

    pub fn rasd(&self) -> Command {
        let mut cmd = Command::cargo_bin("rasd").unwrap();
        // The user's own configuration file must not change what a test sees.
        cmd.env("RASD_INDEX", self.index_path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env_remove("RASD_CONFIG")
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("RASD_BIDI")
            .env_remove("COLUMNS")
            .current_dir(self.dir.path());
        cmd
    }

    /// Runs `rasd index ARCHIVE`.
    pub fn index(&self) -> assert_cmd::assert::Assert {
        self.rasd().arg("index").arg(self.archive()).assert()
    }

    /// Runs `rasd index --rebuild ARCHIVE`.
    pub fn rebuild(&self) -> assert_cmd::assert::Assert {
        self.rasd()
            .args(["index", "--rebuild"])
            .arg(self.archive())
            .assert()
    }

    /// Runs a JSON search and returns the hits.
    pub fn search(&self, query: &str) -> Vec<Value> {
        self.search_with(&[], query)
    }

    /// The JSON hits of a search with extra options.
    pub fn search_with(&self, options: &[&str], query: &str) -> Vec<Value> {
        let limit: &[&str] = if options.contains(&"-n") {
            &[]
        } else {
            &["-n", "100"]
        };
        let output = self
            .rasd()
            .args(["search", "--json"])
            .args(limit)
            .args(options)
            .arg(query)
            .output()
            .unwrap();
        assert!(
            output.status.code() == Some(0) || output.status.code() == Some(1),
            "{output:?}"
        );
        json_lines(&output.stdout)
    }

    /// What `rasd search --count` with `options` prints for `query`, once it exits as it
    /// does when it found something or nothing (0 or 1).
    pub fn count(&self, options: &[&str], query: &str) -> String {
        let output = self
            .rasd()
            .args(["search", "--count"])
            .args(options)
            .arg(query)
            .output()
            .unwrap();
        assert!(matches!(output.status.code(), Some(0 | 1)), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    }

    /// The sorted ids of the articles that match `query` as written (`--all`: no partial
    /// matches; `--no-collapse`: every copy of a story).
    pub fn ids(&self, query: &str) -> Vec<String> {
        let mut ids: Vec<String> = self
            .search_with(&["--all", "--no-collapse"], query)
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    }
}

/// The counts of articles in `rasd index --json`'s summary line.
pub const SUMMARY_COUNTS: [&str; 5] = ["added", "updated", "removed", "unchanged", "failed"];

/// Every article id the index at `index` holds: a JSON search for `*`, every copy of a story.
pub fn ids_in(ws: &Workspace, index: &Path) -> BTreeSet<String> {
    let output = ws
        .rasd()
        .arg("--index")
        .arg(index)
        .args(["search", "--json", "--no-collapse", "-n", "1000000", "*"])
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "search failed: {output:?}"
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// Starts `rasd index -q EXTRA ARCHIVE` on the workspace, in the background.
pub fn spawn_index(ws: &Workspace, extra: &[&str]) -> Child {
    Process::new(assert_cmd::cargo::cargo_bin("rasd"))
        .env("RASD_INDEX", ws.index_path())
        .arg("index")
        .arg("-q")
        .args(extra)
        .arg(ws.archive())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Edits the fields of the index at `ws` as tantivy saved them (its `meta.json`), so that it
/// looks like an index an older rasd built.
pub fn edit_saved_fields(ws: &Workspace, edit: impl FnOnce(&mut Vec<Value>)) {
    let meta_path = current_generation(&ws.index_path()).join("meta.json");
    let mut meta: Value = serde_json::from_slice(&std::fs::read(&meta_path).unwrap()).unwrap();
    edit(meta["schema"].as_array_mut().unwrap());
    std::fs::write(&meta_path, meta.to_string()).unwrap();
}

/// The folder of the tantivy index that searches of the index at `index` use: the generation
/// its marker names.
pub fn current_generation(index: &std::path::Path) -> PathBuf {
    let marker: Value =
        serde_json::from_slice(&std::fs::read(index.join("rasd-index.json")).unwrap()).unwrap();
    index.join(format!(
        "generation-{}",
        marker["generation"].as_u64().expect("a current generation")
    ))
}

pub fn article(title: &str, body: &str) -> String {
    format!("{title}\n\n{body}\n")
}

/// Text without its ANSI styles.
pub fn plain(styled: &str) -> String {
    let mut out = String::new();
    let mut chars = styled.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|&c| c == 'm');
        } else {
            out.push(c);
        }
    }
    out
}

/// The sample file `relative` as another outlet reprints it: a new id, source and title, its
/// body edited by `edit`.
pub fn reprint(
    relative: &str,
    id: &str,
    source: &str,
    title: &str,
    edit: impl Fn(&str) -> String,
) -> String {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-corpus")
        .join(relative);
    let text = std::fs::read_to_string(sample).unwrap();
    let (_, rest) = text.split_once("---\n").unwrap();
    let (front, body) = rest.split_once("---\n").unwrap();
    let front: String = front
        .lines()
        .map(|line| match line.split_once(':').map(|(k, _)| k) {
            Some("id") => format!("id: {id}\n"),
            Some("source") => format!("source: {source}\n"),
            Some("title") => format!("title: \"{title}\"\n"),
            Some("url") => String::new(),
            _ => format!("{line}\n"),
        })
        .collect();
    format!("---\n{front}---\n\n{}\n", edit(body.trim()))
}

/// Without its last paragraph.
pub fn cut_last(body: &str) -> String {
    let mut paragraphs: Vec<&str> = body.split("\n\n").collect();
    paragraphs.pop();
    paragraphs.join("\n\n")
}

/// The words a hit's snippet highlights, as written there (`highlights` count characters).
pub fn highlighted(hit: &Value) -> Vec<String> {
    let snippet: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let [a, b] = [0, 1].map(|i| r[i].as_u64().unwrap() as usize);
            snippet[a..b].iter().collect()
        })
        .collect()
}

/// The objects of JSON Lines output, one per line.
pub fn json_lines(stdout: &[u8]) -> Vec<Value> {
    std::str::from_utf8(stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Touches `path`: its modification time five seconds ahead, its bytes the same.
pub fn touch(path: &Path) {
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(later).unwrap();
}
