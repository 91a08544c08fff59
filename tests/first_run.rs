//! What a new user meets around the searches: the version, help with examples, shell
//! completions, the manual page, and the configuration file with its order of precedence
//! (flag, then environment, then file, then rasd's default).

mod common;

use common::{Workspace, article};
use predicates::prelude::*;
use serde_json::Value;

fn archive() -> Workspace {
    let ws = Workspace::new();
    for (name, title) in [("a.txt", "تهريب"), ("b.txt", "تهريب"), ("c.txt", "تهريب")]
    {
        ws.write(name, &article(title, "ضبط شحنة مخدرات في الميناء."));
    }
    ws.index().success();
    ws
}

/// The user's configuration file, where `rasd` looks for it by default.
fn write_config(ws: &Workspace, text: &str) -> std::path::PathBuf {
    let path = ws.dir.path().join("config/rasd/config.toml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn hits(output: &std::process::Output) -> usize {
    String::from_utf8_lossy(&output.stdout).lines().count()
}

#[test]
fn version_names_the_commit() {
    let ws = Workspace::new();
    ws.rasd()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"^rasd \d+\.\d+\.\d+ \(commit [0-9a-z-]+\)\n$").unwrap());
}

#[test]
fn help_shows_examples() {
    let ws = Workspace::new();
    for command in ["search", "index"] {
        ws.rasd()
            .args([command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"))
            .stdout(predicate::str::contains(format!("  rasd {command} ")));
    }
}

#[test]
fn completions_and_manual_come_from_the_arguments() {
    let ws = Workspace::new();
    for (shell, marker) in [
        ("bash", "_rasd()"),
        ("zsh", "#compdef rasd"),
        ("fish", "complete -c rasd"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        ws.rasd()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(marker))
            .stdout(predicate::str::contains("since"));
    }
    ws.rasd().args(["completions", "tcsh"]).assert().code(2);
    ws.rasd()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(".ie"))
        .stdout(predicate::str::contains(".TH rasd 1"))
        .stdout(predicate::str::contains("completions"));
}

#[test]
fn the_configuration_sets_defaults_that_flags_and_environment_override() {
    let ws = archive();
    let config = write_config(&ws, "[search]\nlimit = 1\nformat = \"json\"\n");
    let output = ws.rasd().args(["search", "تهريب"]).output().unwrap();
    assert_eq!(hits(&output), 1, "limit and format from the file");
    let first: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(first["id"].is_string());
    let output = ws
        .rasd()
        .args(["search", "-n", "2", "تهريب"])
        .output()
        .unwrap();
    assert_eq!(hits(&output), 2, "a flag beats the file");

    // The index folder: the file's, unless RASD_INDEX (or --index) names one.
    let moved = ws.dir.path().join("moved-index");
    std::fs::rename(ws.index_path(), &moved).unwrap();
    std::fs::write(
        &config,
        format!(
            "index = {:?}\n[search]\nlimit = 1\n",
            moved.display().to_string()
        ),
    )
    .unwrap();
    ws.rasd()
        .env_remove("RASD_INDEX")
        .args(["search", "تهريب"])
        .assert()
        .success();
    ws.rasd().args(["search", "تهريب"]).assert().code(2);
    ws.rasd()
        .args(["search", "--index"])
        .arg(&moved)
        .arg("تهريب")
        .assert()
        .success();

    // rasd stats says which file was read.
    ws.rasd()
        .env_remove("RASD_INDEX")
        .arg("stats")
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "config:     {}",
            config.display()
        )));
    let output = ws
        .rasd()
        .env_remove("RASD_INDEX")
        .args(["stats", "--json"])
        .output()
        .unwrap();
    let stats: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(stats["config"], config.display().to_string());
}

/// `--help` names the configuration file wherever it can set the default, rather than a
/// default the file may have changed.
#[test]
fn help_says_which_defaults_the_configuration_sets() {
    let ws = Workspace::new();
    for (command, option, key) in [
        ("search", "--limit", "`limit` under `[search]`"),
        ("search", "--sort", "`sort` under `[search]`"),
        ("search", "--format", "`format` under `[search]`"),
        ("search", "--bidi", "`bidi` under `[search]`"),
        ("search", "--color", "`color` in the configuration file"),
        ("index", "--memory", "`memory` under `[indexing]`"),
        (
            "index",
            "--commit-every",
            "`commit_every` under `[indexing]`",
        ),
    ] {
        let output = ws.rasd().args([command, "--help"]).output().unwrap();
        let help = String::from_utf8(output.stdout).unwrap();
        // The option's entry, up to the next option, its lines joined.
        let mut entries: Vec<String> = Vec::new();
        for line in help.lines().map(str::trim) {
            match entries.last_mut() {
                Some(entry) if !line.starts_with('-') && !line.is_empty() => {
                    entry.push(' ');
                    entry.push_str(line);
                }
                _ => entries.push(line.to_string()),
            }
        }
        let entry = entries
            .iter()
            .find(|e| e.starts_with(option) || e.contains(&format!(", {option} ")))
            .unwrap_or_else(|| panic!("{command} {option}: {help}"));
        assert!(entry.contains(key), "{command} {option}: {entry}");
        assert!(
            !entry.contains("[default: 10]") && !entry.contains("[default: 256]"),
            "{entry}"
        );
    }
}

#[test]
fn a_bad_configuration_is_one_line_naming_the_file_and_line() {
    let ws = archive();
    let config = write_config(&ws, "[search]\nlimit = 1\nlimt = 2\n");
    ws.rasd()
        .args(["search", "تهريب"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}:3:1",
            config.display()
        )))
        .stderr(predicate::str::contains("limt"))
        .stderr(predicate::function(|s: &str| s.lines().count() == 1));
    write_config(&ws, "[search]\nsort = \"oldest\"\n");
    ws.rasd()
        .args(["search", "تهريب"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("sort"));
    // A file named by RASD_CONFIG must exist; the default one may not.
    ws.rasd()
        .env("RASD_CONFIG", ws.dir.path().join("nowhere.toml"))
        .args(["search", "تهريب"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nowhere.toml"));
    std::fs::remove_file(&config).unwrap();
    ws.rasd()
        .arg("stats")
        .assert()
        .success()
        .stdout(predicate::str::contains("config:     none ("));
}

/// The README's quick start shows the output of its command; it must stay true.
#[test]
fn the_quick_start_prints_what_the_readme_shows() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let quick_start = &readme[readme.find("## Quick start").unwrap()..];
    let command = quick_start
        .lines()
        .find(|line| line.starts_with("cargo install"))
        .unwrap();
    let query = command.rsplit('\'').nth(1).unwrap();
    assert!(
        command.ends_with(&format!(
            "rasd index sample-corpus && rasd search -n 3 '{query}'"
        )),
        "the quick start's command changed: {command}"
    );
    let shown = quick_start.split("```text\n").nth(1).unwrap();
    let shown = &shown[..shown.find("```").unwrap()];

    let ws = Workspace::new();
    let indexed = ws
        .rasd()
        .current_dir(root)
        .args(["index", "sample-corpus"])
        .output()
        .unwrap();
    assert!(indexed.status.success(), "{indexed:?}");
    let searched = ws
        .rasd()
        .current_dir(root)
        .args(["search", "-n", "3", query])
        .output()
        .unwrap();
    assert!(searched.status.success(), "{searched:?}");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&indexed.stderr),
        String::from_utf8_lossy(&searched.stdout)
    );
    // The time it took is the one thing that differs from run to run.
    let without_time = |text: &str| -> String {
        let rest = text.strip_prefix("indexed in ").unwrap_or(text);
        rest[rest.find("s: ").map_or(0, |at| at + 3)..].to_string()
    };
    assert_eq!(
        without_time(&printed),
        without_time(shown),
        "the README's quick start output is out of date"
    );
}
