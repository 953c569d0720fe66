//! Rendering for people: workflow graphs (DOT, Mermaid, SVG), memo pages
//! (HTML around Markdown) and the template helpers official documents need.

pub mod graph;
pub mod helpers;
pub mod html;
