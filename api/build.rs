//! The built-in workflows (`src/embedded.rs`) are the repository's `workflows/` at build time: rebuild when it changes.

fn main() {
    println!("cargo:rerun-if-changed=../workflows");
}
