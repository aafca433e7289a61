//! Word counts the way Chinese schools count them (字数).
//!
//! A teacher's "500字" is what Word's 字数 shows, and what a 500-cell 稿纸 holds: every Chinese
//! character counts one, every full-width punctuation mark counts one (it takes a cell of its
//! own), and every run of Latin letters or digits counts one word ("PPT", "2026", "iPad").
//! Whitespace, line breaks and ASCII punctuation count nothing.

/// The number of 字 in `text`.
pub fn word_count(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in text.chars() {
        if is_cjk(c) || is_fullwidth_punctuation(c) {
            count += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                count += 1;
            }
            in_word = true;
        } else if in_word && (c == '\'' || c == '-' || c == '.') {
            // "don't", "e-mail", "3.14" stay one word.
        } else {
            in_word = false;
        }
    }
    count
}

/// Han ideographs of the unified blocks and their extensions, and the CJK compatibility block.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF | 0x30000..=0x3134F)
        || c == '〇'
}

/// Chinese punctuation: the CJK symbols block (、。〈〉《》「」『』【】〔〕…), full-width forms
/// (，！？：；（）), and the curly quotes, dashes and ellipsis Chinese text uses.
fn is_fullwidth_punctuation(c: char) -> bool {
    matches!(c as u32, 0x3001..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_chinese_character_counts_one() {
        assert_eq!(word_count("教学反思"), 4);
        assert_eq!(word_count(&"研".repeat(500)), 500);
    }

    #[test]
    fn chinese_punctuation_counts_and_whitespace_does_not() {
        // 今天，我们听了一节课。 = 9 characters + 2 marks.
        assert_eq!(word_count("今天，我们听了一节课。"), 11);
        assert_eq!(word_count("今天 我们\n听课"), 6);
        assert_eq!(word_count("《背影》“父亲”……"), 10);
    }

    #[test]
    fn a_mixed_sentence_matches_its_hand_count() {
        // 用(1) PPT(1) 上了(2) 2026(1) 年的第(3) 1(1) 课(1) ，(1) 效果很好(4) 。(1) = 16; the line
        // break and the space count nothing.
        assert_eq!(word_count("用PPT上了2026年的第1课，\n效果 很好。"), 16);
    }

    #[test]
    fn latin_words_and_numbers_count_one_each() {
        assert_eq!(word_count("用PPT上了2026年的第1课"), 10);
        assert_eq!(word_count("Let's use e-mail, ok?"), 4);
        assert_eq!(word_count("3.14"), 1);
        assert_eq!(word_count(""), 0);
        assert_eq!(word_count("  \n\t "), 0);
    }
}
