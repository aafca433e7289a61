//! The Chinese text the demo's work is written with: lesson titles, feedback sentences and the
//! sentences records are assembled from. Fixed lists, picked with the demo's own generator.

use super::Rng;

/// Lesson titles (课题) of a subject.
pub fn lesson_titles(subject: &str) -> &'static [&'static str] {
    match subject {
        "语文" => &[
            "《秋天的雨》",
            "《富饶的西沙群岛》",
            "《观潮》",
            "《落花生》",
            "《桂花雨》",
            "《青蛙写诗》",
            "《小蝌蚪找妈妈》",
            "《司马光》",
            "《爬山虎的脚》",
            "《草船借箭》",
            "《少年中国说》",
            "《四季之美》",
        ],
        "数学" => &[
            "《认识钟表》",
            "《两位数加两位数》",
            "《表内乘法（一）》",
            "《长方形和正方形》",
            "《运算律》",
            "《分数的意义》",
            "《百分数的认识》",
            "《圆的面积》",
            "《平行四边形的面积》",
            "《小数乘整数》",
        ],
        "英语" => &[
            "Unit 2 Colours",
            "Unit 3 My friends",
            "Unit 4 At the farm",
            "Unit 5 Dinner's ready",
            "Unit 1 How can I get there",
            "Unit 6 In a nature park",
        ],
        "科学" => &["《空气占据空间吗》", "《水和食用油的比较》", "《植物的叶》", "《我们的身体》"],
        "音乐" => &["《彝家娃娃真幸福》", "《大鹿》", "《歌唱二小放牛郎》"],
        "美术" => &["《色彩的渐变》", "《线条的魅力》", "《我设计的图标》"],
        "体育" => &["《立定跳远》", "《前滚翻》", "《50米快速跑》"],
        "信息技术" => &["《画图工具的使用》", "《认识键盘》", "《制作电子小报》"],
        _ => &["《我们的班规我们订》", "《我是一张纸》", "《家乡的变化》"],
    }
}

/// "二(3)班": the class a lesson is taught in.
pub fn class_name(grade: i32, class: i32) -> String {
    const GRADES: [&str; 6] = ["一", "二", "三", "四", "五", "六"];
    format!("{}({})班", GRADES[(grade.clamp(1, 6) - 1) as usize], class)
}

pub const STRENGTHS: &[&str] = &[
    "教学目标明确，重难点突出，环节紧凑。",
    "导入新颖，能迅速激发学生的学习兴趣。",
    "教师语言亲切简洁，评价语丰富，有激励性。",
    "注重学生自主学习，小组合作分工明确。",
    "板书设计简洁美观，能体现本课的知识结构。",
    "能联系学生生活实际创设情境，学生参与度高。",
    "当堂训练设计有层次，照顾到了不同程度的学生。",
    "朗读指导扎实，学生读得有感情。",
    "学具操作组织有序，学生在动手中理解了算理。",
    "课件制作精美，触控一体机运用恰当。",
];

pub const WEAKNESSES: &[&str] = &[
    "小组讨论时间偏短，部分学生没有充分表达。",
    "提问面不够广，后进生关注较少。",
    "教师讲得偏多，学生练习的时间不足。",
    "个别环节过渡不够自然。",
    "课堂生成处理不够灵活，错过了学生的精彩回答。",
    "板书略显随意，重点不够突出。",
    "当堂检测没有及时反馈，学生错误没有得到纠正。",
    "时间分配前松后紧，拓展环节匆忙结束。",
];

pub const SUGGESTIONS: &[&str] = &[
    "建议把课堂还给学生，多给学生展示的机会。",
    "希望在作业设计上分层，控制作业量。",
    "可以尝试用导学案引导学生先学后教。",
    "建议关注学困生，课后做好个别辅导。",
    "注意评价语的针对性，少用“你真棒”之类的泛泛表扬。",
    "建议多读课标，把握好本学段的教学要求。",
    "希望多听同组老师的常态课，取长补短。",
    "建议课前充分预设学生可能出现的问题。",
];

pub const CRITIQUES: &[&str] = &[
    "课后与执教老师面对面交流，肯定了亮点，也指出了时间分配的问题。",
    "在教研组评课时作了发言，重点谈了当堂训练的设计。",
    "课后交流：建议下次试教时调整小组合作的时机。",
    "评课采用“三个一”：一个优点、一个不足、一点希望。",
];

const REFLECTION: &[&str] = &[
    "这节课我按照“先学后教、当堂训练”的思路设计，学生预习比较充分。",
    "课堂上学生的发言比以往积极，小组汇报环节尤其精彩。",
    "但是练习环节时间不够，有一半学生没有完成当堂检测。",
    "反思原因，主要是新授环节我讲得太多，没有相信学生。",
    "个别学困生在计算上仍有困难，需要课后单独辅导。",
    "下一次上课我要精简讲解，把更多时间留给学生练习。",
    "板书还可以更清晰一些，把知识之间的联系表现出来。",
    "听了同组老师的建议，我把导入改成了生活情境，效果明显好了。",
    "本周批改作业发现书写不规范的问题比较普遍，要从习惯抓起。",
    "朗读指导还不够扎实，学生读得不够有感情。",
];

const STUDY: &[&str] = &[
    "参加本次校本研修，我对有效课堂有了新的认识。",
    "有效课堂不在于形式热闹，而在于学生真正学会了什么。",
    "专家讲到“作业要分类分层”，这对我们农村学校很有启发。",
    "我们班学生差异很大，统一的作业让一部分学生吃不饱，另一部分学生吃不了。",
    "今后我要把作业分为基础题、提高题和拓展题，让学生自主选择。",
    "集体备课让我明白，一个人的智慧是有限的，团队的力量是无穷的。",
    "主备老师的说课很有条理，同组老师的补充让教案更加完善。",
    "听课评课是教师成长最快的途径，每一次评课都是一次学习。",
    "新课标强调核心素养，教学不能只盯着知识点，更要关注能力与习惯。",
    "我会把这次学到的方法用到自己的课堂中，并及时写下反思。",
    "信息技术与学科教学的整合不是简单地放课件，而是要服务于教学目标。",
    "作为一名青年教师，我要多向师傅学习，多上研究课，多写反思。",
];

const READING: &[&str] = &[
    "这学期我读了苏霍姆林斯基的《给教师的建议》。",
    "书中说，教师的时间从哪里来？答案是每天读书，不断补充知识的大海。",
    "这句话让我反思自己，平时总说忙，很少静下心来读书。",
    "书中关于后进生的论述对我触动很大：不要让孩子因为学习困难而失去自信。",
    "我们班有几个孩子基础薄弱，我开始尝试给他们布置适合的阅读任务。",
    "读书让我对教育有了更深的理解，也让我的课堂多了一份从容。",
    "我还读了《56号教室的奇迹》，雷夫老师对学生的耐心令人敬佩。",
    "今后我要坚持每天阅读半小时，并把读书心得记录下来。",
];

const PAPER: &[&str] = &[
    "摘要：本文结合农村小学教学实际，探讨分层作业设计的原则与方法。",
    "一、问题的提出。当前农村小学作业普遍存在量大、形式单一、缺少层次的问题。",
    "部分学生完成作业耗时过长，学习兴趣逐渐下降，作业的巩固作用没有发挥出来。",
    "二、分层作业的设计原则。一是面向全体，二是尊重差异，三是控制总量。",
    "基础层作业重在巩固当堂所学，提高层作业重在灵活运用，拓展层作业重在综合探究。",
    "三、实践与做法。我们在四年级两个班开展了为期一学期的实践。",
    "每天的书面作业控制在三十分钟以内，学生根据自身情况选择相应层次的题目。",
    "教师在批改中采用等级加评语的方式，及时反馈，并对学困生面批面改。",
    "四、取得的成效。学生完成作业的积极性明显提高，作业正确率由百分之七十八提高到百分之八十九。",
    "家长反映孩子写作业拖拉的现象减少了，亲子关系也更加和谐。",
    "更重要的是，学困生在基础层作业中体验到了成功的喜悦，开始主动举手回答问题，学习自信心明显增强。",
    "学有余力的学生则在拓展层作业中接触到了开放性问题，思维的深度和广度都得到了发展。",
    "五、反思与展望。分层作业对教师的备课提出了更高要求，需要备课组集体研讨、资源共享。",
    "今后我们将把分层作业与“先学后教、当堂训练”的课堂模式结合起来，进一步提高课堂效率。",
    "参考文献：《义务教育课程方案和课程标准（2022年版）》。",
];

const LESSON_PLAN: &[&str] = &[
    "教学目标：1.认识本课生字，正确书写；2.有感情地朗读课文；3.体会作者表达的思想感情。",
    "教学重点：理解课文内容，积累优美语句。",
    "教学难点：体会作者的表达方法，并尝试运用。",
    "教学准备：课件、生字卡片、导学案。",
    "教学过程：一、情境导入，揭示课题。二、初读课文，整体感知。",
    "三、精读感悟，品词析句。四、当堂训练，巩固提升。五、总结拓展，布置分层作业。",
    "板书设计：围绕课题，提炼关键词，呈现文章结构。",
    "教后反思：学生朗读积极，但小组合作时间偏短，下次要调整。",
];

const MINUTES: &[&str] = &[
    "主讲人围绕本组研究主题作了中心发言，组内老师逐一交流。",
    "执教老师先说课，介绍设计意图；随后大家按“三个一”进行评课。",
    "大家一致认为本课目标达成度较高，当堂训练落实得好。",
    "讨论中提出：作业量要控制，书面作业分层布置。",
    "会议确定下次活动的主备人和课题，会后把教案初稿发到群里。",
    "教导处领导参加了本次活动，并对教研组工作提出要求。",
];

/// `count` distinct sentences of `pool`, in a random order, joined into one paragraph.
fn paragraph(rng: &mut Rng, pool: &[&str], count: usize) -> String {
    let mut picked: Vec<usize> = Vec::new();
    while picked.len() < count.min(pool.len()) {
        let i = rng.below(pool.len());
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    picked.iter().map(|&i| pool[i]).collect()
}

/// `count` distinct items of `pool`, as owned strings.
pub fn pick_distinct(rng: &mut Rng, pool: &[&str], count: usize) -> Vec<String> {
    let mut picked: Vec<&str> = Vec::new();
    while picked.len() < count.min(pool.len()) {
        let s = *rng.pick(pool);
        if !picked.contains(&s) {
            picked.push(s);
        }
    }
    picked.into_iter().map(str::to_string).collect()
}

pub fn reflection(rng: &mut Rng, lesson: &str) -> String {
    let n = rng.between(3, 6) as usize;
    format!("执教{lesson}后的反思：{}", paragraph(rng, REFLECTION, n))
}

/// A study note (学习心得) of `sentences` sentences (4–12: about 100–300 字 each time).
pub fn study_note(rng: &mut Rng, sentences: usize) -> String {
    paragraph(rng, STUDY, sentences)
}

pub fn reading_note(rng: &mut Rng) -> String {
    let n = rng.between(4, 8) as usize;
    paragraph(rng, READING, n)
}

/// A paper: the whole outline (more than 500 字) when `full`, else only its first sections.
pub fn paper(full: bool) -> String {
    let n = if full { PAPER.len() } else { 5 };
    PAPER[..n].join("\n")
}

pub fn lesson_plan(rng: &mut Rng, lesson: &str, full: bool) -> String {
    if full {
        format!("{lesson}教学设计（详案）\n{}", LESSON_PLAN.join("\n"))
    } else {
        let n = rng.between(3, 4) as usize;
        format!("{lesson}教学设计（简案）\n{}", LESSON_PLAN[..n].join("\n"))
    }
}

pub fn minutes(rng: &mut Rng) -> String {
    let n = rng.between(3, 5) as usize;
    paragraph(rng, MINUTES, n)
}
