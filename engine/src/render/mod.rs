//! Rendering for people: workflow graphs (DOT, Mermaid, SVG), memo pages
//! (HTML around Markdown, in the GB/T 9704 layout), the template helpers
//! official documents need and Chinese numerals.

pub mod graph;
pub mod helpers;
pub mod html;
pub mod numerals;
pub mod pages;
