//! Replays every seed of `fuzz/corpus/<target>/` and every input that once crashed a
//! target (`fuzz/crashers/<target>/`) through the target's body, so that what the
//! fuzzer found stays fixed, without a nightly toolchain.

use std::fs;
use std::panic::catch_unwind;
use std::path::{Path, PathBuf};

use cognito_fuzz::{target, TARGETS};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// `(target name, file)` for every file under `dir/<target>/`.
fn inputs(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    let Ok(targets) = fs::read_dir(dir) else {
        return found;
    };
    for entry in targets {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            target(&name).is_some(),
            "{}: no fuzz target is called {name}",
            dir.display()
        );
        for file in fs::read_dir(entry.path()).unwrap() {
            found.push((name.clone(), file.unwrap().path()));
        }
    }
    found.sort();
    found
}

fn replay(inputs: &[(String, PathBuf)]) {
    let mut failed = Vec::new();
    for (name, path) in inputs {
        let data = fs::read(path).unwrap();
        let run = target(name).unwrap().run;
        if catch_unwind(|| run(&data)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(failed.is_empty(), "inputs that fail: {failed:#?}");
}

#[test]
fn every_target_has_seeds_and_they_pass() {
    let seeds = inputs(&fuzz_dir().join("corpus"));
    for target in TARGETS {
        assert!(
            seeds.iter().any(|(name, _)| name == target.name),
            "no seed for {}",
            target.name
        );
    }
    replay(&seeds);
}

#[test]
fn every_crasher_found_stays_fixed() {
    replay(&inputs(&fuzz_dir().join("crashers")));
}

#[test]
fn every_target_has_a_libfuzzer_entry() {
    for target in TARGETS {
        let path = fuzz_dir().join(format!("fuzz_targets/{}.rs", target.name));
        let source = fs::read_to_string(&path).unwrap_or_default();
        assert!(
            source.contains(&format!("cognito_fuzz::target(\"{}\")", target.name)),
            "{} does not run {}",
            path.display(),
            target.name
        );
    }
}
