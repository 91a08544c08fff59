//! Records the commit rasd is built from, for `rasd --version`: `RASD_COMMIT` is the short
//! hash (with `-modified` when the working tree has changes), or `unknown` outside a git
//! checkout (a crate download, a tarball). And the built-in glossary's hash,
//! `RASD_GLOSSARY_HASH`: its precomputed keys are used only when computed from that text; the
//! same for the built-in alias groups, `RASD_ALIASES_HASH`.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// FNV-1a, 64 bits, in hex: stable across Rust versions, unlike the standard library's hasher.
fn fnv1a(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

fn main() {
    // A fixed-address executable: a position-independent one has about 50,000 relative
    // relocations that the dynamic loader applies at every start, touching every page of
    // the tables they point into (a fifth of a search process's start, measured with perf).
    println!("cargo:rustc-link-arg-bins=-no-pie");
    let glossary = "index-schema/glossary.txt";
    let text = std::fs::read(glossary).expect("index-schema/glossary.txt is readable");
    println!("cargo:rustc-env=RASD_GLOSSARY_HASH={}", fnv1a(&text));
    println!("cargo:rerun-if-changed={glossary}");
    let aliases = "index-schema/aliases.toml";
    let text = std::fs::read(aliases).expect("index-schema/aliases.toml is readable");
    println!("cargo:rustc-env=RASD_ALIASES_HASH={}", fnv1a(&text));
    println!("cargo:rerun-if-changed={aliases}");
    let commit = git(&["rev-parse", "--short=12", "HEAD"]);
    let modified = git(&["status", "--porcelain", "--untracked-files=no"])
        .is_some_and(|status| !status.is_empty());
    let version = match commit {
        Some(hash) if modified => format!("{hash}-modified"),
        Some(hash) => hash,
        None => "unknown".to_string(),
    };
    println!("cargo:rustc-env=RASD_COMMIT={version}");
    // Run again when HEAD moves or the branch it names gets a new commit.
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        println!("cargo:rerun-if-changed={dir}/HEAD");
        println!("cargo:rerun-if-changed={dir}/index");
    }
    if let Some(dir) = git(&["rev-parse", "--git-common-dir"]) {
        println!("cargo:rerun-if-changed={dir}/refs/heads");
        println!("cargo:rerun-if-changed={dir}/packed-refs");
    }
}
