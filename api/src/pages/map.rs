//! The stage map drawn as an SVG flow: the procedure's main line in order,
//! four to a row, each row continuing the last, every box marked done,
//! current, passed over (dashed) or not yet; the stages off the main line
//! (a proposal not started, suspension, post-evaluation) in a row of their
//! own below it, without arrows, since they branch off rather than follow. Coordinates are computed here and
//! drawn by the `decision` template; colours come from the style sheet (the
//! CSP allows no inline style). The ordered list beside it says the same in
//! text, for screen readers and narrow screens.

use serde_json::{json, Value};

const COLS: usize = 4;
const BOX_W: usize = 190;
const BOX_H: usize = 52;
const GAP_X: usize = 34;
const GAP_Y: usize = 40;
const PAD: usize = 8;

/// Stage kinds off the main line: an end instead of the procedure, and excursions from execution.
pub const SIDE_KINDS: [&str; 3] = ["not_started", "suspension", "post_evaluation"];

/// Roughly how wide `text` is at 14 px, in half pixels: CJK characters a full em, others about half of one.
fn width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 14 } else { 28 }).sum()
}

/// A box label that fits: as it is, or at a smaller size (`true`), or shortened with an ellipsis (the full
/// title stays in the box's tooltip and in the list beside the map).
fn fit(label: &str) -> (String, bool) {
    let room = (BOX_W - 16) * 2;
    if width(label) <= room {
        return (label.to_string(), false);
    }
    // At 11 px a character takes about 11/14 of its width at 14 px.
    let small = |t: &str| width(t) * 11 / 14;
    if small(label) <= room {
        return (label.to_string(), true);
    }
    let mut out = String::new();
    for c in label.chars() {
        if small(&format!("{out}{c}…")) > room {
            break;
        }
        out.push(c);
    }
    out.push('…');
    (out, true)
}

/// `all`: the stage map's entries (`title`, `status`, `class`, `side`), in order.
pub fn svg(all: &[Value]) -> Value {
    let at = |i: usize| (PAD + (i % COLS) * (BOX_W + GAP_X), PAD + (i / COLS) * (BOX_H + GAP_Y));
    let (side, stages): (Vec<&Value>, Vec<&Value>) = all.iter().partition(|s| s["side"] == Value::Bool(true));
    let main_rows = stages.len().div_ceil(COLS);
    let boxes: Vec<Value> = stages
        .iter()
        .chain(side.iter())
        .enumerate()
        .map(|(i, s)| (if i < stages.len() { i } else { main_rows * COLS + i - stages.len() }, *s))
        .map(|(i, s)| {
            let (x, y) = at(i);
            let side = s["side"] == Value::Bool(true);
            let title = s["title"].as_str().unwrap_or_default();
            let (label, small) = fit(&if side { title.to_string() } else { format!("{} {title}", i + 1) });
            json!({"x": x, "y": y, "w": BOX_W, "h": BOX_H, "tx": x + 10, "ty1": y + 22, "ty2": y + 42,
                "full": s["title"], "label": label, "small": small,
                "title": s["title"], "status": s["status"], "class": s["class"]})
        })
        .collect();
    let arrows: Vec<Value> = (1..stages.len())
        .map(|i| {
            let ((x0, y0), (x1, y1)) = (at(i - 1), at(i));
            let d = if y0 == y1 {
                format!("M{} {} H{}", x0 + BOX_W, y0 + BOX_H / 2, x1 - 4)
            } else {
                // Down from the row's last box, back to the next row's first, then into it.
                let mid = y0 + BOX_H + GAP_Y / 2;
                format!("M{} {} V{} H{} V{}", x0 + BOX_W / 2, y0 + BOX_H, mid, x1 + BOX_W / 2, y1 - 4)
            };
            json!({"d": d})
        })
        .collect();
    let rows = (main_rows + side.len().div_ceil(COLS)).max(1);
    let width = PAD * 2 + COLS * BOX_W + (COLS - 1) * GAP_X;
    let height = PAD * 2 + rows * BOX_H + (rows - 1) * GAP_Y;
    json!({"boxes": boxes, "arrows": arrows, "width": width, "height": height})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_line_wraps_in_rows_joined_by_arrows_and_side_stages_sit_below_it() {
        let mut stages: Vec<Value> =
            (0..6).map(|i| json!({"title": format!("s{i}"), "status": "todo", "class": "todo"})).collect();
        stages.insert(1, json!({"title": "declined", "status": "todo", "class": "todo", "side": true}));
        let m = svg(&stages);
        assert_eq!(m["boxes"].as_array().map(Vec::len), Some(7));
        assert_eq!(m["arrows"].as_array().map(Vec::len), Some(5), "no arrow into or out of a side stage");
        // The fifth stage starts the second row, reached by the wrapping arrow.
        assert_eq!((m["boxes"][4]["x"].as_u64(), m["boxes"][4]["y"].as_u64()), (Some(8), Some(100)));
        assert!(m["arrows"][3]["d"].as_str().is_some_and(|d| d.contains('V')), "{}", m["arrows"][3]);
        // The side stage sits on a row of its own below the main line.
        assert_eq!(
            (m["boxes"][6]["title"].as_str(), m["boxes"][6]["y"].as_u64()),
            (Some("declined"), Some(8 + 2 * 92))
        );
        assert_eq!(m["height"].as_u64(), Some(8 * 2 + 3 * 52 + 2 * 40));
    }

    #[test]
    fn a_long_label_is_set_smaller_and_then_shortened() {
        assert_eq!(fit("9 合法性审查"), ("9 合法性审查".to_string(), false));
        let (t, small) = fit("12 Party-committee report");
        assert!(small && t == "12 Party-committee report", "{t}");
        let (t, small) = fit("17 Post-implementation evaluation of the decision and its adjustment");
        assert!(small && t.ends_with('…') && width(&t) * 11 / 14 <= (BOX_W - 16) * 2, "{t}");
    }
}
