//! End-to-end tests of what rasd does to the index folder: it never deletes a file it did not
//! create, survives being killed at any moment (the first milliseconds included), reports and
//! repairs a damaged index, cleans up after a failed commit, searches without writing, and
//! lets searches run through a rebuild.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use std::time::{Duration, Instant, SystemTime};

use common::{Workspace, article, current_generation, ids_in, spawn_index};
use predicates::prelude::*;

/// An archive of `files` small articles; returns nothing, the ids come from a clean build.
fn write_archive(ws: &Workspace, files: usize, word: &str) {
    for i in 0..files {
        let body = format!("{word} تفكيك خلية إرهابية في المدينة. ").repeat(6);
        ws.write(
            &format!("{:02}/a{i}.txt", i % 10),
            &article(&format!("خبر {i}"), &body),
        );
    }
}

/// The ids of a clean build of the workspace's archive, in a folder of its own.
fn clean_build_ids(ws: &Workspace) -> BTreeSet<String> {
    let clean = ws.dir.path().join(format!(
        "clean-{}",
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    ws.rasd()
        .arg("--index")
        .arg(&clean)
        .args(["index", "-q"])
        .arg(ws.archive())
        .assert()
        .success();
    ids_in(ws, &clean)
}

/// Every file under `folder`, relative, with its content.
fn snapshot(folder: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(folder)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(folder).unwrap().to_path_buf();
            (relative, fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_folder_holding_other_files_is_never_used_or_emptied() {
    let ws = Workspace::new();
    ws.write("a.txt", &article("خبر", "نص الخبر."));
    let docs = ws.dir.path().join("docs");
    fs::create_dir_all(docs.join("notes")).unwrap();
    fs::write(docs.join("thesis.odt"), "precious").unwrap();
    fs::write(docs.join("notes/tax-2024.pdf"), "tax").unwrap();
    let before = snapshot(&docs);
    for extra in [&[][..], &["--rebuild"]] {
        ws.rasd()
            .arg("--index")
            .arg(&docs)
            .arg("index")
            .args(extra)
            .arg(ws.archive())
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "is not empty and not a rasd index",
            ));
    }
    assert_eq!(snapshot(&docs), before, "nothing written, nothing deleted");
}

#[test]
fn an_index_folder_that_overlaps_the_archive_is_refused_before_anything_is_written() {
    let ws = Workspace::new();
    ws.write("a.txt", &article("خبر", "نص الخبر."));
    fs::write(ws.dir.path().join("budget.xlsx"), "numbers").unwrap();
    let archive = ws.archive();
    let before = snapshot(ws.dir.path());
    for index in [
        archive.clone(),
        archive.join("index"),
        ws.dir.path().to_path_buf(),
    ] {
        for extra in [&[][..], &["--rebuild"]] {
            ws.rasd()
                .arg("--index")
                .arg(&index)
                .arg("index")
                .args(extra)
                .arg(&archive)
                .assert()
                .code(2)
                .stderr(predicate::str::contains("overlap"));
        }
    }
    assert_eq!(snapshot(ws.dir.path()), before);
    assert!(!archive.join("index").exists());
}

#[test]
fn a_rebuild_deletes_only_rasds_own_files() {
    let ws = Workspace::new();
    write_archive(&ws, 5, "أمن");
    ws.index().success();
    let index = ws.index_path();
    fs::write(index.join("notes.txt"), "the user's").unwrap();
    fs::write(current_generation(&index).join("mine.txt"), "the user's").unwrap();
    // A file named like the next generation: the rebuild takes the one after.
    fs::write(index.join("generation-2"), "the user's").unwrap();
    let old_generation = current_generation(&index);
    ws.rasd()
        .args(["index", "--rebuild"])
        .arg(ws.archive())
        .assert()
        .success();
    assert_ne!(current_generation(&index), old_generation);
    assert_eq!(current_generation(&index), index.join("generation-3"));
    assert_eq!(
        fs::read_to_string(index.join("generation-2")).unwrap(),
        "the user's"
    );
    assert_eq!(
        fs::read_to_string(index.join("notes.txt")).unwrap(),
        "the user's"
    );
    assert_eq!(
        fs::read_dir(&old_generation).unwrap().count(),
        1,
        "the old generation keeps only the user's file"
    );
    assert!(old_generation.join("mine.txt").exists());
    assert_eq!(ids_in(&ws, &index).len(), 5);
}

#[test]
fn a_run_killed_at_any_moment_is_completed_by_the_next_run() {
    let ws = Workspace::new();
    write_archive(&ws, 300, "أمن");
    let expected = clean_build_ids(&ws);
    // Kills from the first milliseconds (before the marker, before the first commit) to the
    // middle of the run; each time the next run must finish the job.
    let delays_ms = [0, 1, 2, 3, 5, 8, 12, 20, 35, 60, 100, 200];
    for (i, delay) in delays_ms.iter().enumerate() {
        let _ = fs::remove_dir_all(ws.index_path());
        let extra: &[&str] = if i % 2 == 0 {
            &["--commit-every", "50"]
        } else {
            &[]
        };
        let mut job = spawn_index(&ws, extra);
        std::thread::sleep(Duration::from_millis(*delay));
        let _ = job.kill(); // SIGKILL
        job.wait().unwrap();
        ws.rasd()
            .args(["index", "-q"])
            .arg(ws.archive())
            .assert()
            .success();
        assert_eq!(
            ids_in(&ws, &ws.index_path()),
            expected,
            "killed after {delay} ms"
        );
    }
}

#[test]
fn a_rebuild_killed_at_any_moment_leaves_the_old_index_or_the_new_one() {
    let ws = Workspace::new();
    write_archive(&ws, 200, "أمن");
    ws.index().success();
    let old = ids_in(&ws, &ws.index_path());
    ws.write("extra/new.txt", &article("جديد", "خبر جديد."));
    let new = clean_build_ids(&ws);
    assert_ne!(old, new);
    for delay in [0, 2, 5, 10, 20, 40, 80, 150] {
        let mut job = spawn_index(&ws, &["--rebuild"]);
        std::thread::sleep(Duration::from_millis(delay));
        let _ = job.kill();
        job.wait().unwrap();
        let found = ids_in(&ws, &ws.index_path());
        assert!(
            found == old || found == new,
            "killed after {delay} ms: {} ids",
            found.len()
        );
    }
    ws.rasd()
        .args(["index", "-q", "--rebuild"])
        .arg(ws.archive())
        .assert()
        .success();
    assert_eq!(ids_in(&ws, &ws.index_path()), new);
    let generations = fs::read_dir(ws.index_path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_type().unwrap().is_dir())
        .count();
    assert_eq!(generations, 1, "the half-built generations were removed");
}

#[test]
fn searches_during_a_rebuild_see_the_whole_old_index() {
    let ws = Workspace::new();
    write_archive(&ws, 600, "أمن");
    ws.index().success();
    // The exit status and output, and what the search said on stderr, for a failure to show.
    let count = || {
        let output = ws
            .rasd()
            // Every article: the 600 are copies of one story.
            .args(["search", "--count", "--no-collapse", "خلية"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        let result = (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).trim().to_string(),
        );
        (result, stderr)
    };
    assert_eq!(count().0, (Some(0), "600".to_string()));
    let mut job = spawn_index(&ws, &["--rebuild", "--commit-every", "100"]);
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut searches = 0;
    while job.try_wait().unwrap().is_none() && Instant::now() < deadline {
        let (result, stderr) = count();
        assert_eq!(
            result,
            (Some(0), "600".to_string()),
            "search {searches}: {stderr}"
        );
        searches += 1;
    }
    assert!(job.wait().unwrap().success());
    assert!(searches > 0, "no search ran during the rebuild");
    assert_eq!(count().0, (Some(0), "600".to_string()));
}

#[test]
fn a_search_writes_nothing_to_the_index_folder() {
    let ws = Workspace::new();
    write_archive(&ws, 3, "أمن");
    ws.index().success();
    let generation = current_generation(&ws.index_path());
    // tantivy's own lock files are the files a reader would create.
    for lock in [".tantivy-meta.lock", ".tantivy-writer.lock"] {
        let _ = fs::remove_file(generation.join(lock));
    }
    let _ = fs::remove_file(ws.index_path().join("rasd-index.lock"));
    let before = snapshot(&ws.index_path());
    ws.rasd().args(["search", "خلية"]).assert().success();
    ws.rasd().args(["stats"]).assert().success();
    ws.rasd()
        .args(["index", "--dry-run"])
        .arg(ws.archive())
        .assert()
        .success();
    assert_eq!(snapshot(&ws.index_path()), before);
}

/// Damages a fresh index with `damage` (given its current generation folder), then checks
/// that every command says so in one line naming `--rebuild`, and that `--rebuild` repairs it.
fn assert_damage_is_reported_and_repaired(name: &str, damage: impl Fn(&Path)) {
    let ws = Workspace::new();
    write_archive(&ws, 8, "أمن");
    ws.index().success();
    fs::write(ws.index_path().join("keep.txt"), "the user's").unwrap();
    damage(&current_generation(&ws.index_path()));
    // A changed file, so that the index run has work to do on the damaged index.
    ws.write("00/a0.txt", &article("خبر معدل", "نص معدل."));
    let commands: [&[&str]; 3] = [&["search", "خلية"], &["stats"], &["index"]];
    for command in commands {
        let mut rasd = ws.rasd();
        rasd.args(command);
        if command == ["index"] {
            rasd.arg(ws.archive());
        }
        let output = rasd.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        // Some damage does not touch what a search or stats read; it must never panic.
        if output.status.success() {
            continue;
        }
        assert_eq!(
            output.status.code(),
            Some(2),
            "{name}, {command:?}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{name}, {command:?}: {stderr}");
        assert!(
            stderr.contains("is damaged") && stderr.contains("rasd index --rebuild"),
            "{name}, {command:?}: {stderr}"
        );
    }
    ws.rasd()
        .args(["index", "-q", "--rebuild"])
        .arg(ws.archive())
        .assert()
        .success();
    assert_eq!(ids_in(&ws, &ws.index_path()).len(), 8, "{name}");
    assert!(ws.index_path().join("keep.txt").exists());
}

fn segment_file(generation: &Path, extension: &str) -> PathBuf {
    fs::read_dir(generation)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == extension))
        .unwrap()
}

fn overwrite_middle(path: &Path) {
    let mut bytes = fs::read(path).unwrap();
    let (middle, len) = (bytes.len() / 3, bytes.len());
    for b in &mut bytes[middle..(middle + 64).min(len)] {
        *b = b.wrapping_mul(31).wrapping_add(7);
    }
    fs::write(path, bytes).unwrap();
}

/// Changes the last byte before the file's footer (its JSON, at the end): the byte that gives
/// a composite file's table of contents its length, which tantivy trusts when it slices.
fn garble_before_footer(path: &Path) {
    let mut bytes = fs::read(path).unwrap();
    let footer = bytes
        .windows(10)
        .rposition(|w| w == b"{\"version\"")
        .expect("a footer");
    bytes[footer - 1] = 0xff;
    fs::write(path, bytes).unwrap();
}

#[test]
fn each_kind_of_damage_is_one_line_and_rebuild_repairs_it() {
    for extension in ["pos", "idx", "term", "fieldnorm", "fast", "store"] {
        assert_damage_is_reported_and_repaired(&format!("{extension} before its footer"), |g| {
            garble_before_footer(&segment_file(g, extension))
        });
    }
    let truncate = |path: PathBuf| {
        let file = fs::OpenOptions::new().write(true).open(path).unwrap();
        file.set_len(10).unwrap();
    };
    assert_damage_is_reported_and_repaired("truncated fieldnorm", |g| {
        truncate(segment_file(g, "fieldnorm"))
    });
    assert_damage_is_reported_and_repaired("truncated terms", |g| {
        truncate(segment_file(g, "term"))
    });
    assert_damage_is_reported_and_repaired("garbled fast fields", |g| {
        overwrite_middle(&segment_file(g, "fast"))
    });
    assert_damage_is_reported_and_repaired("garbled postings", |g| {
        overwrite_middle(&segment_file(g, "idx"))
    });
    assert_damage_is_reported_and_repaired("garbled store", |g| {
        overwrite_middle(&segment_file(g, "store"))
    });
    assert_damage_is_reported_and_repaired("empty meta.json", |g| {
        fs::write(g.join("meta.json"), "").unwrap()
    });
    assert_damage_is_reported_and_repaired("truncated meta.json", |g| {
        let meta = fs::read(g.join("meta.json")).unwrap();
        fs::write(g.join("meta.json"), &meta[..meta.len() / 2]).unwrap()
    });
    assert_damage_is_reported_and_repaired("meta.json became a folder", |g| {
        fs::remove_file(g.join("meta.json")).unwrap();
        fs::create_dir(g.join("meta.json")).unwrap();
    });
    assert_damage_is_reported_and_repaired("garbled .managed.json", |g| {
        fs::write(g.join(".managed.json"), "{garbage").unwrap()
    });
    assert_damage_is_reported_and_repaired("garbled marker", |g| {
        fs::write(g.parent().unwrap().join("rasd-index.json"), "{").unwrap()
    });
    assert_damage_is_reported_and_repaired("deleted marker", |g| {
        fs::remove_file(g.parent().unwrap().join("rasd-index.json")).unwrap()
    });
    assert_damage_is_reported_and_repaired("missing generation", |g| {
        fs::remove_dir_all(g).unwrap()
    });
}

/// A marker that disagrees with the generations (restored from a backup, copied while a
/// rebuild switched, edited) is damage: the index run says so and deletes nothing, so that
/// putting the right marker back brings the index back whole, standard input's articles
/// included, which a rebuild could not.
#[test]
fn a_marker_that_disagrees_with_the_generations_deletes_nothing() {
    let ws = Workspace::new();
    write_archive(&ws, 8, "أمن");
    ws.index().success();
    ws.rasd()
        .args(["index", "-q", "-"])
        .write_stdin("{\"id\": \"piped-1\", \"title\": \"خبر\", \"body\": \"نص وارد\"}\n")
        .assert()
        .success();
    let index = ws.index_path();
    let marker = index.join("rasd-index.json");
    let good = fs::read_to_string(&marker).unwrap();
    let ids = ids_in(&ws, &index);
    assert_eq!(ids.len(), 9);
    let before = snapshot(&index);
    let disagreeing = [
        good.replace("\"generation\":1", "\"generation\":2"),
        good.replace("\"generation\":1", "\"generation\":null"),
        good.replace("\"generation\"", "\"xeneration\""),
        good.replace("\"generation\":1", ""),
        // A key written twice: which one rasd wrote cannot be told.
        good.replace("\"generation\":1", "\"generation\":2,\"generation\":1"),
        // Larger than any marker rasd writes, though valid: not read whole.
        format!("{good}{}", " ".repeat(5000)),
    ];
    for bad in disagreeing {
        assert_ne!(bad, good);
        fs::write(&marker, &bad).unwrap();
        let output = ws.rasd().arg("index").arg(ws.archive()).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{bad}: {stderr}");
        assert!(
            stderr.contains("is damaged") && stderr.lines().count() == 1,
            "{bad}: {stderr}"
        );
        // A search says the same.
        let output = ws.rasd().args(["search", "أمن"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("is damaged"), "{bad}: {stderr}");
        fs::write(&marker, &good).unwrap();
        assert_eq!(snapshot(&index), before, "{bad}");
        assert_eq!(ids_in(&ws, &index), ids, "{bad}");
    }
    // The generation it names is there but empty, or holds only rasd's owner file: a copy
    // that stopped short.
    let named = index.join("generation-2");
    for owner_file in [false, true] {
        fs::create_dir(&named).unwrap();
        if owner_file {
            fs::write(named.join("rasd-generation"), "").unwrap();
        }
        fs::write(
            &marker,
            good.replace("\"generation\":1", "\"generation\":2"),
        )
        .unwrap();
        let output = ws.rasd().arg("index").arg(ws.archive()).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "owner file {owner_file}");
        fs::write(&marker, &good).unwrap();
        fs::remove_dir_all(&named).unwrap();
        assert_eq!(snapshot(&index), before, "owner file {owner_file}");
        assert_eq!(ids_in(&ws, &index), ids, "owner file {owner_file}");
    }
    // A rebuild replaces what the marker no longer names.
    fs::write(
        &marker,
        good.replace("\"generation\":1", "\"generation\":2"),
    )
    .unwrap();
    ws.rasd()
        .args(["index", "-q", "--rebuild"])
        .arg(ws.archive())
        .assert()
        .success();
    assert_eq!(ids_in(&ws, &index).len(), 8);
}

/// A folder or a link where the marker goes is not rasd's to remove or replace: searches and
/// index runs, rebuilds included, say what is in the way before doing any work, and leave it
/// and the index as they are.
#[test]
fn a_folder_or_link_in_place_of_the_marker_is_named_and_left_alone() {
    let ws = Workspace::new();
    write_archive(&ws, 3, "أمن");
    ws.index().success();
    let index = ws.index_path();
    let marker = index.join("rasd-index.json");
    let good = fs::read_to_string(&marker).unwrap();
    let elsewhere = ws.dir.path().join("elsewhere.json");
    fs::write(&elsewhere, &good).unwrap();
    let obstacles: [(&str, &dyn Fn()); 2] = [
        ("folder", &|| fs::create_dir(&marker).unwrap()),
        ("link", &|| {
            std::os::unix::fs::symlink(&elsewhere, &marker).unwrap()
        }),
    ];
    for (name, put) in obstacles {
        fs::remove_file(&marker).unwrap();
        put();
        let before = snapshot(&index);
        let names = || -> BTreeSet<_> {
            fs::read_dir(&index)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect()
        };
        let names_before = names();
        for args in [
            vec!["index", "-q"],
            vec!["index", "-q", "--rebuild"],
            vec!["search"],
        ] {
            let mut command = ws.rasd();
            command.args(&args);
            match args[0] {
                "index" => command.arg(ws.archive()),
                _ => command.arg("أمن"),
            };
            let output = command.output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{name} {args:?}: {stderr}");
            assert!(
                stderr.contains("rasd-index.json is a folder, a link or another special file")
                    && stderr.lines().count() == 1,
                "{name} {args:?}: {stderr}"
            );
            assert_eq!(snapshot(&index), before, "{name} {args:?}");
            assert_eq!(names(), names_before, "{name} {args:?}");
        }
        assert_eq!(fs::read_to_string(&elsewhere).unwrap(), good, "{name}");
        match fs::symlink_metadata(&marker).unwrap().is_dir() {
            true => fs::remove_dir(&marker).unwrap(),
            false => fs::remove_file(&marker).unwrap(),
        }
        // Moved away, the rebuild the message asks for repairs the index.
        ws.rebuild().success();
        assert_eq!(ids_in(&ws, &index).len(), 3, "{name}");
    }
}

/// A folder that is not empty under the marker draft's name stops a rebuild before its work,
/// not after (it cannot write its marker there), and is left as it is.
#[test]
fn a_folder_in_the_way_of_the_marker_draft_stops_a_rebuild_first() {
    let ws = Workspace::new();
    write_archive(&ws, 3, "أمن");
    ws.index().success();
    let index = ws.index_path();
    let draft = index.join("rasd-index.json.tmp");
    fs::create_dir_all(draft.join("mine")).unwrap();
    let before = snapshot(&index);
    let generations = || {
        fs::read_dir(&index)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("generation-")
            })
            .count()
    };
    let output = ws
        .rasd()
        .args(["index", "-q", "--rebuild"])
        .arg(ws.archive())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot write the draft") && stderr.lines().count() == 1,
        "{stderr}"
    );
    assert_eq!(generations(), 1, "no generation built");
    assert_eq!(snapshot(&index), before);
    assert!(draft.join("mine").is_dir());
    // A plain run, which writes no marker, is not stopped by it.
    ws.index().success();
    fs::remove_dir_all(&draft).unwrap();
    ws.rebuild().success();
    assert_eq!(ids_in(&ws, &index).len(), 3);
}

#[test]
fn what_a_failed_commit_left_is_removed_by_the_next_run() {
    let ws = Workspace::new();
    write_archive(&ws, 4, "أمن");
    ws.index().success();
    let generation = current_generation(&ws.index_path());
    // What a commit that failed on a full disk leaves: segment files no commit refers to,
    // and tantivy's temporary files.
    let orphans = [
        "0123456789abcdef0123456789abcdef.idx",
        "0123456789abcdef0123456789abcdef.store",
        ".tmpQ1w2E3",
    ];
    for orphan in orphans {
        fs::write(generation.join(orphan), vec![0u8; 4096]).unwrap();
    }
    fs::write(generation.join("report.pdf"), "the user's").unwrap();
    ws.write("new.txt", &article("جديد", "خبر جديد."));
    ws.index().success();
    for orphan in orphans {
        assert!(!generation.join(orphan).exists(), "{orphan}");
    }
    assert!(generation.join("report.pdf").exists());
    assert_eq!(ids_in(&ws, &ws.index_path()).len(), 5);
}

/// What a run killed while committing leaves when the commit had written a segment's new
/// deletions but not its list of files: tantivy names them after the commit's operation
/// stamp, which the next run, doing the same work, reaches again; it failed to create the
/// file at every later run, and the index stayed as it was (outside probe 27).
#[test]
fn deletions_a_killed_commit_wrote_do_not_stop_the_next_runs() {
    let ws = Workspace::new();
    write_archive(&ws, 6, "أمن");
    ws.index().success();
    let index = ws.index_path();
    let generation = current_generation(&index);
    let copy = |from: &Path, to: &Path| {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
    };
    let committed = ws.dir.path().join("committed");
    copy(&generation, &committed);
    let deletions = |folder: &Path| -> BTreeSet<String> {
        (fs::read_dir(folder).unwrap())
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.ends_with(".del"))
            .collect()
    };
    assert!(deletions(&generation).is_empty());
    // The run that deletes an article writes its segment's deletions...
    fs::remove_file(ws.archive().join("00/a0.txt")).unwrap();
    ws.index().success();
    let written = deletions(&generation);
    assert_eq!(written.len(), 1, "{written:?}");
    // ... and is killed before its commit: the files of the commit before, and the deletions
    // (listed in tantivy's managed files, as they are when written).
    let managed = fs::read(generation.join(".managed.json")).unwrap();
    fs::remove_dir_all(&generation).unwrap();
    copy(&committed, &generation);
    for name in &written {
        fs::write(generation.join(name), b"left by a killed commit").unwrap();
    }
    fs::write(generation.join(".managed.json"), managed).unwrap();
    assert_eq!(ids_in(&ws, &index).len(), 6);
    ws.index().success();
    ws.index().success();
    assert_eq!(ids_in(&ws, &index), clean_build_ids(&ws));
    assert_eq!(ids_in(&ws, &index).len(), 5);
}

#[test]
fn a_folder_named_like_a_generation_that_rasd_did_not_make_is_left_alone() {
    let ws = Workspace::new();
    write_archive(&ws, 3, "أمن");
    ws.index().success();
    let index = ws.index_path();
    let current = current_generation(&index);
    let number: u64 = current.file_name().unwrap().to_str().unwrap()["generation-".len()..]
        .parse()
        .unwrap();
    let mine = index.join(format!("generation-{}", number + 1));
    fs::create_dir(&mine).unwrap();
    fs::write(mine.join("meta.json"), "mine").unwrap();
    for _ in 0..2 {
        ws.rebuild().success();
        assert_eq!(fs::read_to_string(mine.join("meta.json")).unwrap(), "mine");
        assert_eq!(fs::read_dir(&mine).unwrap().count(), 1);
    }
    assert_eq!(ids_in(&ws, &index).len(), 3);
}

#[test]
fn an_index_of_the_first_layout_asks_for_a_rebuild_which_converts_it() {
    let ws = Workspace::new();
    write_archive(&ws, 3, "أمن");
    ws.index().success();
    // rasd 0.1 kept the tantivy index directly in the folder.
    let index = ws.index_path();
    let generation = current_generation(&index);
    for entry in fs::read_dir(&generation).unwrap() {
        let entry = entry.unwrap();
        // It had no generation folders, nor their owner file.
        if entry.file_name() == "rasd-generation" {
            fs::remove_file(entry.path()).unwrap();
            continue;
        }
        fs::rename(entry.path(), index.join(entry.file_name())).unwrap();
    }
    fs::remove_dir(&generation).unwrap();
    fs::remove_file(index.join("rasd-index.json")).unwrap();
    fs::remove_file(index.join("rasd-index.lock")).unwrap();
    ws.rasd()
        .args(["search", "خلية"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("rasd index --rebuild"));
    ws.index()
        .code(2)
        .stderr(predicate::str::contains("rasd index --rebuild"));
    ws.rasd()
        .args(["index", "-q", "--rebuild"])
        .arg(ws.archive())
        .assert()
        .success();
    assert_eq!(ids_in(&ws, &index).len(), 3);
    assert!(
        !index.join("meta.json").exists(),
        "the first layout is gone"
    );
    let left: Vec<String> = fs::read_dir(&index)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains('.') && !name.starts_with("rasd-"))
        .collect();
    assert!(
        left.is_empty(),
        "every file of the first layout is gone: {left:?}"
    );
}

#[test]
fn a_rebuild_leaves_files_of_the_users_named_like_tantivys_in_the_index_folder() {
    let ws = Workspace::new();
    write_archive(&ws, 3, "أمن");
    ws.index().success();
    let index = ws.index_path();
    let mine = [
        "meta.json",
        ".managed.json",
        "0123456789abcdef0123456789abcdef.idx",
        "0123456789abcdef0123456789abcdef.store",
        "fedcba9876543210fedcba9876543210.term",
        "notes.txt",
    ];
    for name in mine {
        fs::write(index.join(name), "user data").unwrap();
    }
    ws.index().success();
    ws.rasd()
        .args(["index", "-q", "--rebuild"])
        .arg(ws.archive())
        .assert()
        .success();
    for name in mine {
        assert_eq!(
            fs::read_to_string(index.join(name)).unwrap(),
            "user data",
            "{name}"
        );
    }
    assert_eq!(ids_in(&ws, &index).len(), 3);
}

#[test]
fn an_id_shared_by_two_files_survives_the_deletion_of_either() {
    let ws = Workspace::new();
    let first = ws.write(
        "1.jsonl",
        r#"{"id":"X","title":"first","body":"alpha text"}"#,
    );
    let second = ws.write(
        "2.jsonl",
        r#"{"id":"X","title":"second","body":"beta text"}"#,
    );
    let titles = |ws: &Workspace| -> Vec<String> {
        ws.search("text")
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_string())
            .collect()
    };
    // One article, counted once.
    ws.index().success().stderr(predicate::str::contains(
        "1 added, 0 updated, 0 removed, 0 unchanged",
    ));
    assert_eq!(titles(&ws), vec!["second"], "the path that sorts last wins");
    fs::remove_file(&second).unwrap();
    ws.index().success();
    assert_eq!(
        titles(&ws),
        vec!["first"],
        "the other file's article comes back"
    );
    // A new file with the same id that sorts first loses, in a re-run as in a clean build.
    ws.write(
        "0.jsonl",
        r#"{"id":"X","title":"zero","body":"gamma text"}"#,
    );
    ws.index().success();
    assert_eq!(titles(&ws), vec!["first"]);
    fs::remove_file(&first).unwrap();
    ws.index().success();
    assert_eq!(titles(&ws), vec!["zero"]);
    assert_eq!(ids_in(&ws, &ws.index_path()), clean_build_ids(&ws));
}

/// Two folders indexed by runs of their own (two outlets, two cron jobs) with a file at the
/// same place in each: one id. When the winner goes, the run that names the other folder
/// brings its article back, though its file has not changed (outside probe 27).
#[test]
fn an_id_shared_with_a_folder_of_another_run_comes_back_when_that_run_comes() {
    let ws = Workspace::new();
    let a = ws.write("A/2024/x.txt", &article("from A", "alpha words here"));
    let b = ws.write("B/2024/x.txt", &article("from B", "beta words here"));
    ws.write("B/other.txt", &article("other B", "gamma words here"));
    let run = |folder: &Path| {
        ws.rasd()
            .args(["index", "-q"])
            .arg(folder)
            .assert()
            .success();
    };
    let (folder_a, folder_b) = (
        a.parent().unwrap().parent().unwrap(),
        b.parent().unwrap().parent().unwrap(),
    );
    run(folder_a);
    run(folder_b);
    let titles = |ws: &Workspace| -> Vec<String> {
        let mut titles: Vec<String> = (ws.search_with(&["--all", "--no-collapse"], "words").iter())
            .map(|h| h["title"].as_str().unwrap().to_string())
            .collect();
        titles.sort();
        titles
    };
    assert_eq!(
        titles(&ws),
        ["from B", "other B"],
        "the path that sorts last wins"
    );
    fs::remove_file(&b).unwrap();
    run(folder_b);
    assert_eq!(titles(&ws), ["other B"]);
    run(folder_a);
    assert_eq!(titles(&ws), ["from A", "other B"], "A's article comes back");
    run(folder_a);
    ws.rasd()
        .args(["index"])
        .arg(folder_a)
        .assert()
        .success()
        .stderr(predicate::str::contains("0 files read"));
}

/// A file whose name is not UTF-8 (`a<FF>.txt`) and one named as its escapes spell it
/// (`a\xff.txt`) share a key; with the same size and time, the one left was taken as the
/// other, unchanged: the deleted file's article stayed, or the other's text was shown under
/// the new file's name (outside probe 28). Their contents decide now.
#[cfg(unix)]
#[test]
fn a_name_not_utf8_and_the_name_its_escapes_spell_are_told_apart_by_their_contents() {
    use std::os::unix::ffi::OsStrExt;
    let ws = Workspace::new();
    let invalid = ws.archive().join(std::ffi::OsStr::from_bytes(b"a\xff.txt"));
    let titles = |ws: &Workspace| -> Vec<String> {
        (ws.search_with(&["--all", "--no-collapse"], "*").iter())
            .map(|h| h["title"].as_str().unwrap().to_string())
            .collect()
    };
    let same_time = |path: &Path| {
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_067_200);
        let file = fs::File::options().write(true).open(path).unwrap();
        file.set_modified(time).unwrap();
    };
    // The file named as written goes: the other one's article takes its place.
    let named = ws.write("a\\xff.txt", &article("NAMED FILE", "body"));
    fs::write(&invalid, article("OTHER FILE", "body")).unwrap();
    same_time(&named);
    same_time(&invalid);
    ws.index().success();
    assert_eq!(titles(&ws), ["NAMED FILE"]);
    fs::remove_file(&named).unwrap();
    ws.index().success();
    assert_eq!(titles(&ws), ["OTHER FILE"]);
    // The file named as written comes: its article takes the key.
    fs::write(&named, article("NAMED FILE", "body")).unwrap();
    same_time(&named);
    ws.index().success();
    assert_eq!(titles(&ws), ["NAMED FILE"]);
}

#[cfg(unix)]
#[test]
fn tantivys_metadata_is_as_readable_as_the_rest_of_the_index() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Workspace::new();
    write_archive(&ws, 3, "أمن");
    ws.index().success();
    ws.write("new.txt", &article("جديد", "خبر جديد."));
    ws.index().success();
    let mode = |path: PathBuf| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let marker = mode(ws.index_path().join("rasd-index.json"));
    let generation = current_generation(&ws.index_path());
    // tantivy writes these through temporary files that only their owner may read.
    for name in ["meta.json", ".managed.json"] {
        assert_eq!(mode(generation.join(name)), marker, "{name}");
    }
}

#[test]
fn an_index_run_racing_a_rebuild_exits_with_status_0_or_3() {
    let ws = Workspace::new();
    write_archive(&ws, 150, "أمن");
    ws.index().success();
    let mut overlapped = 0;
    for round in 0..6 {
        let mut rebuild = spawn_index(&ws, &["--rebuild"]);
        if round % 2 == 1 {
            std::thread::sleep(Duration::from_millis(5 * round));
        }
        let update = spawn_index(&ws, &[]);
        // The update started while the rebuild ran: it waits for the lock (a second at
        // most, then exits 3).
        overlapped += usize::from(rebuild.try_wait().unwrap().is_none());
        for (name, job) in [("rebuild", rebuild), ("update", update)] {
            let code = job.wait_with_output().unwrap().status.code();
            assert!(
                matches!(code, Some(0 | 3)),
                "round {round}, {name}: {code:?}"
            );
        }
        assert_eq!(ids_in(&ws, &ws.index_path()).len(), 150);
    }
    assert!(overlapped > 0, "the jobs never overlapped");
}

#[test]
fn an_id_repeated_in_one_file_keeps_the_later_article_and_counts_it_once() {
    let ws = Workspace::new();
    ws.write(
        "feed.jsonl",
        "{\"id\":\"X\",\"title\":\"first\",\"body\":\"text\"}\n{\"id\":\"X\",\"title\":\"second\",\"body\":\"text\"}\n",
    );
    let output = ws
        .rasd()
        .args(["index", "--json"])
        .arg(ws.archive())
        .output()
        .unwrap();
    let lines = common::json_lines(&output.stdout);
    // The warning names the repeat's line, and the line it repeats.
    assert_eq!(
        (lines[0]["line"].as_u64(), lines[0]["reason"].as_str()),
        (
            Some(2),
            Some("repeats the id `X` of line 1; the later article is kept")
        ),
        "{lines:?}"
    );
    let summary = lines.last().unwrap();
    assert_eq!(
        (summary["added"].as_u64(), summary["documents"].as_u64()),
        (Some(1), Some(1))
    );
    let titles: Vec<String> = ws
        .search("text")
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, vec!["second"]);
}

#[test]
fn an_id_repeated_on_standard_input_names_both_lines() {
    let ws = Workspace::new();
    let input = concat!(
        "{\"id\":\"X\",\"title\":\"first\",\"body\":\"text\"}\n",
        "{\"id\":\"Y\",\"title\":\"other\",\"body\":\"words\"}\n",
        "{\"id\":\"X\",\"title\":\"second\",\"body\":\"text\"}\n",
    );
    let output = ws
        .rasd()
        .args(["index", "--json", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    let lines = common::json_lines(&output.stdout);
    let warnings: Vec<_> = lines
        .iter()
        .filter(|l| l["severity"] == "warning")
        .map(|l| (l["line"].as_u64(), l["reason"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(
        warnings,
        vec![(
            Some(3),
            "repeats the id `X` of line 1; the later article is kept"
        )],
        "{lines:?}"
    );
    let titles: Vec<String> = ws
        .search("text")
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, vec!["second"]);
}
