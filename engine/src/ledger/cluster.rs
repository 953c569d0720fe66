//! Campaigns: identical and near-identical texts, found as they arrive.
//!
//! A text is normalised (NFKC, so full-width and half-width forms agree; lower case; only letters and digits
//! kept, so punctuation and spacing do not count), then cut into overlapping three-character shingles — no
//! word segmentation, so it works for Chinese as for any script. Identical texts share the hash of the
//! normalised text. Near-identical ones (a campaign letter signed with another name, a phrase changed) share
//! most shingles: a MinHash signature of [`SIGNATURE`] values estimates the share (Jaccard similarity) of two
//! texts, and texts that share at least [`NEAR`] are one campaign. To find candidates without comparing with
//! every campaign, the first 16 values make four bands of four, each hashed to one indexed integer: texts with
//! a Jaccard similarity of 0.8 agree on a band with probability 0.88, of 0.9 with 0.99, of 0.3 with 0.03.

use unicode_normalization::UnicodeNormalization;

/// Values in a signature.
pub const SIGNATURE: usize = 32;

/// The least estimated share of shingles that makes two texts one campaign.
pub const NEAR: f64 = 0.7;

/// Texts shorter than this (normalised) join a campaign only when identical: a few characters say too little
/// for "near".
const MIN_NEAR_CHARS: usize = 12;

/// The features of one text that finding its campaign needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// The first 64 bits of the SHA-256 of the normalised text: identical texts.
    pub norm: [u8; 8],
    pub signature: [u32; SIGNATURE],
    /// Whether near-identical texts may join it (the text is long enough).
    pub near: bool,
}

impl Fingerprint {
    pub fn of(text: &str) -> Fingerprint {
        let norm = normalise(text);
        let digest = <sha2::Sha256 as sha2::Digest>::digest(norm.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        let chars: Vec<char> = norm.chars().collect();
        Fingerprint { norm: first, signature: minhash(&chars), near: chars.len() >= MIN_NEAR_CHARS }
    }

    pub fn norm_hex(&self) -> String {
        hex::encode(self.norm)
    }

    /// The signature as the store keeps it: hex, eight digits a value.
    pub fn signature_hex(&self) -> String {
        self.signature.iter().map(|v| format!("{v:08x}")).collect()
    }

    /// The four band keys. A text too short for "near" gets keys no other text has (its norm hash, marked),
    /// so it is found by its identical texts only.
    pub fn bands(&self) -> [i64; 4] {
        if !self.near {
            let n = i64::from_le_bytes(self.norm);
            return [n, n, n, n].map(|v| v | 1);
        }
        let band = |i: usize| {
            let mut bytes = [0u8; 16];
            for (j, v) in self.signature[i * 4..i * 4 + 4].iter().enumerate() {
                bytes[j * 4..j * 4 + 4].copy_from_slice(&v.to_le_bytes());
            }
            // Even keys for near bands, odd for the short texts' own keys: the two never meet.
            (xxhash_rust::xxh3::xxh3_64(&bytes) as i64) & !1
        };
        [band(0), band(1), band(2), band(3)]
    }
}

/// The estimated share of shingles two stored signatures have in common (0 when either is unreadable).
pub fn similarity(a: &str, b: &str) -> f64 {
    match (parse(a), parse(b)) {
        (Some(a), Some(b)) => a.iter().zip(&b).filter(|(x, y)| x == y).count() as f64 / SIGNATURE as f64,
        _ => 0.0,
    }
}

fn parse(hex: &str) -> Option<Vec<u32>> {
    if hex.len() != SIGNATURE * 8 {
        return None;
    }
    (0..SIGNATURE).map(|i| u32::from_str_radix(hex.get(i * 8..i * 8 + 8)?, 16).ok()).collect()
}

/// NFKC, lower case, letters and digits only.
pub fn normalise(text: &str) -> String {
    text.nfkc().flat_map(char::to_lowercase).filter(|c| c.is_alphanumeric()).collect()
}

/// One minimum per hash function over the text's shingles; the functions are `h1 + i·h2` of two 64-bit hashes
/// of the shingle (Kirsch and Mitzenmacher), mixed by a multiply.
fn minhash(chars: &[char]) -> [u32; SIGNATURE] {
    let mut sig = [u32::MAX; SIGNATURE];
    let mut add = |shingle: &[char]| {
        let s: String = shingle.iter().collect();
        let h = xxhash_rust::xxh3::xxh3_128(s.as_bytes());
        let (h1, h2) = (h as u64, (h >> 64) as u64 | 1);
        for (i, slot) in sig.iter_mut().enumerate() {
            let v = h1.wrapping_add((i as u64).wrapping_mul(h2)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            *slot = (*slot).min((v >> 32) as u32);
        }
    };
    if chars.len() < 3 {
        add(chars);
    } else {
        chars.windows(3).for_each(add);
    }
    sig
}

#[cfg(test)]
mod tests {
    use super::*;

    const LETTER: &str = "我们坚决反对在居民区附近新建垃圾焚烧厂，该项目将严重影响周边十万居民的身体健康和生活质量，请政府重新选址并公开环评报告。";

    fn shared_band(a: &Fingerprint, b: &Fingerprint) -> bool {
        a.bands().iter().zip(b.bands()).any(|(x, y)| *x == y)
    }

    #[test]
    fn spacing_punctuation_and_width_do_not_make_a_text_different() {
        let a = Fingerprint::of("反对新建垃圾焚烧厂！ABC");
        let b = Fingerprint::of("反对 新建 垃圾焚烧厂!ａｂｃ");
        assert_eq!(a, b);
    }

    #[test]
    fn a_campaign_letter_with_a_few_words_changed_is_near_and_another_text_is_not() {
        let base = Fingerprint::of(LETTER);
        for text in [format!("{LETTER}市民张三"), LETTER.replace("十万", "数万"), format!("市民李四：{LETTER}谢谢")]
        {
            let f = Fingerprint::of(&text);
            assert_ne!(f.norm, base.norm, "not identical");
            let s = similarity(&f.signature_hex(), &base.signature_hex());
            assert!(s >= NEAR, "{text}: similarity {s}");
            assert!(shared_band(&f, &base), "{text}: no band in common");
        }
        let other =
            Fingerprint::of("建议延长地铁夜间运营时间，方便加班人员回家，同时增加公交接驳线路，提高公共交通的覆盖率。");
        assert!(similarity(&other.signature_hex(), &base.signature_hex()) < NEAR);
        assert!(!shared_band(&other, &base));
    }

    #[test]
    fn a_short_text_is_found_only_by_an_identical_one() {
        let (a, b) = (Fingerprint::of("同意"), Fingerprint::of("同意！"));
        assert!(!a.near);
        assert!(shared_band(&a, &b), "identical after normalising");
        assert!(!shared_band(&a, &Fingerprint::of("不同意")));
        assert!(Fingerprint::of(LETTER).near);
    }
}
