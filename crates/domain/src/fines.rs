//! Fines under the Code of Administrative Offences (КоАП РФ) as data: each article the housing
//! inspection applies, with the range of the fine for a legal entity and for an official. The
//! inspector picks an article and an offender; the amount must lie within the article's range.

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::wire::wire_enum;

/// The highest fine any article may set, in roubles: well inside `i64` and every sum of the
/// public scorecard.
pub const MAX_FINE_RUB: u64 = 10_000_000;

/// Who is fined: the management company itself or its official (e.g. its director).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Offender {
    LegalEntity,
    Official,
}

wire_enum!(Offender, "offender");

/// The lowest and the highest fine, in roubles, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RubRange {
    pub min: u64,
    pub max: u64,
}

impl RubRange {
    pub fn contains(self, amount: u64) -> bool {
        (self.min..=self.max).contains(&amount)
    }
}

/// One article of КоАП РФ (or a part of one) with its fines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FineArticle {
    /// How the article is cited, e.g. `7.22` or `19.5 ч.1`.
    pub code: String,
    pub title_ru: String,
    pub legal_entity: RubRange,
    pub official: RubRange,
}

impl FineArticle {
    /// The range for `offender`.
    pub fn range(&self, offender: Offender) -> RubRange {
        match offender {
            Offender::LegalEntity => self.legal_entity,
            Offender::Official => self.official,
        }
    }

    /// How the article is named in a record: `КоАП РФ ст. 7.22`.
    pub fn citation(&self) -> String {
        format!("КоАП РФ ст. {}", self.code)
    }

    /// Checks an article as the administrator enters it: a code and a title, and each range
    /// positive, ordered and at most [`MAX_FINE_RUB`]. Errors name the field.
    pub fn validate(&self) -> Result<(), DomainError> {
        let code = self.code.trim();
        let code_ok = !code.is_empty()
            && code.chars().count() <= 32
            && code
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | ' ' | 'ч'));
        if !code_ok || !code.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(DomainError::validation(
                "code",
                "an article number such as 7.22 or 19.5 ч.1",
            ));
        }
        let title = self.title_ru.trim();
        if title.is_empty() || title.chars().count() > 300 {
            return Err(DomainError::validation(
                "title_ru",
                "must be 1 to 300 characters",
            ));
        }
        for (field, range) in [
            ("legal_entity", self.legal_entity),
            ("official", self.official),
        ] {
            if range.min == 0 || range.min > range.max || range.max > MAX_FINE_RUB {
                return Err(DomainError::validation(
                    field,
                    format!("min and max must satisfy 1 ≤ min ≤ max ≤ {MAX_FINE_RUB}"),
                ));
            }
        }
        Ok(())
    }

    /// Checks a fine's amount against the article's range for `offender`.
    pub fn check_amount(&self, offender: Offender, amount_rub: u64) -> Result<(), DomainError> {
        let range = self.range(offender);
        if range.contains(amount_rub) {
            Ok(())
        } else {
            Err(DomainError::validation(
                "amount_rub",
                format!(
                    "КоАП РФ ст. {} allows {} to {} roubles for this offender",
                    self.code, range.min, range.max
                ),
            ))
        }
    }
}

/// The articles a municipal housing inspection applies, with the fines in force in 2026. The
/// administrator keeps them up to date; these are what a new city starts with.
pub fn default_fine_articles() -> Vec<FineArticle> {
    let article = |code: &str, title: &str, legal: (u64, u64), official: (u64, u64)| FineArticle {
        code: code.to_owned(),
        title_ru: title.to_owned(),
        legal_entity: RubRange {
            min: legal.0,
            max: legal.1,
        },
        official: RubRange {
            min: official.0,
            max: official.1,
        },
    };
    vec![
        article(
            "7.22",
            "Нарушение правил содержания и ремонта жилых домов и (или) жилых помещений",
            (40_000, 50_000),
            (4_000, 5_000),
        ),
        article(
            "7.23",
            "Нарушение нормативов обеспечения населения коммунальными услугами",
            (5_000, 10_000),
            (500, 1_000),
        ),
        article(
            "7.23.3 ч.1",
            "Управление многоквартирными домами с нарушением лицензионных требований",
            (250_000, 300_000),
            (50_000, 100_000),
        ),
        article(
            "19.5 ч.1",
            "Невыполнение в срок законного предписания органа муниципального контроля",
            (10_000, 20_000),
            (1_000, 2_000),
        ),
        article(
            "19.5 ч.24",
            "Невыполнение в срок предписания об устранении нарушений лицензионных требований",
            (200_000, 300_000),
            (50_000, 100_000),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_article_validates_and_codes_are_unique() {
        let articles = default_fine_articles();
        for article in &articles {
            article.validate().unwrap();
        }
        let mut codes: Vec<&str> = articles.iter().map(|a| a.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), articles.len());
    }

    #[test]
    fn the_amount_must_lie_within_the_offenders_range() {
        let article = &default_fine_articles()[0];
        assert!(article.check_amount(Offender::LegalEntity, 40_000).is_ok());
        assert!(article.check_amount(Offender::LegalEntity, 50_000).is_ok());
        assert!(article.check_amount(Offender::LegalEntity, 39_999).is_err());
        assert!(article.check_amount(Offender::Official, 40_000).is_err());
        assert!(article.check_amount(Offender::Official, 4_500).is_ok());
    }

    #[test]
    fn bad_articles_name_their_field() {
        let good = default_fine_articles().remove(0);
        let field = |a: FineArticle| match a.validate() {
            Err(DomainError::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        };
        assert_eq!(
            field(FineArticle {
                code: "<b>".into(),
                ..good.clone()
            }),
            "code"
        );
        assert_eq!(
            field(FineArticle {
                title_ru: " ".into(),
                ..good.clone()
            }),
            "title_ru"
        );
        assert_eq!(
            field(FineArticle {
                official: RubRange { min: 10, max: 5 },
                ..good.clone()
            }),
            "official"
        );
        assert_eq!(
            field(FineArticle {
                legal_entity: RubRange {
                    min: 1,
                    max: MAX_FINE_RUB + 1
                },
                ..good
            }),
            "legal_entity"
        );
    }
}
