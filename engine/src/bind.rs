//! The bind step: a definition read from `workflows/` names act handlers,
//! gate checks and deadline anchors; each must exist in this build of the
//! engine. `definition` reads and proves the procedure as data and the code
//! that runs it ([`crate::procedure::acts`], [`crate::procedure::gates`], [`crate::procedure::deadline`])
//! reads the definition; this module, above both, hands the code's names to
//! the definition's reader ([`Code`] as [`Names`]), so neither imports the
//! other.
//!
//! [`load_dir`] and [`load_path`] are the single door from `workflows/` into
//! the engine: what they return has been validated, proven lawful and bound.

use std::path::Path;

use crate::definition::{self, DefinitionError, Names, Workflow};

/// The names this build of the engine provides.
pub struct Code;

impl Names for Code {
    fn handler(&self, name: &str) -> bool {
        crate::procedure::acts::is_known(name)
    }
    fn check(&self, name: &str) -> bool {
        crate::procedure::gates::is_known(name)
    }
    fn anchor(&self, name: &str) -> bool {
        crate::procedure::deadline::anchor_known(name)
    }
}

/// Read, prove and bind every workflow and profile under `dir`. All errors
/// of all files are returned.
pub fn load_dir(dir: &Path) -> Result<Vec<Workflow>, Vec<DefinitionError>> {
    definition::parse_dir(dir, &Code)
}

/// Read, prove and bind one workflow file, or one profile whose base lives
/// in the workflows folder `base_dir`.
pub fn load_path(path: &Path, base_dir: &Path) -> Result<Workflow, Vec<DefinitionError>> {
    definition::parse_path(path, base_dir, &Code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A build that knows every name but one handler and one check.
    struct AllBut;

    impl Names for AllBut {
        fn handler(&self, name: &str) -> bool {
            name != "decide"
        }
        fn check(&self, name: &str) -> bool {
            name != "all_members_heard"
        }
        fn anchor(&self, name: &str) -> bool {
            Code.anchor(name)
        }
    }

    #[test]
    fn the_shipped_workflows_bind_and_a_name_the_build_lacks_is_named_with_its_file() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../workflows");
        load_dir(&dir).expect("the shipped workflows bind");
        let errors = definition::parse_path(&dir.join("national/workflow.toml"), &dir, &AllBut).expect_err("refused");
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        let text = text.join("\n");
        assert!(
            text.contains("workflow.toml") && text.contains("act `decide` uses unknown handler `decide`"),
            "{text}"
        );
        assert!(text.contains("uses unknown check `all_members_heard`"), "{text}");
    }
}
