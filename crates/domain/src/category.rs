//! Complaint categories and their default deadlines (data the database is seeded from).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Deadline;
use crate::clocks::{ClockKind, ClockSpec, PP354_CHECK, PP416_LOCALISE, default_clock_specs};

/// A category as the lifecycle needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: Uuid,
    pub code: String,
    /// Emergencies are counted in hours, round the clock.
    pub emergency: bool,
    /// Execution deadline of the first round, from registration.
    pub deadline: Deadline,
}

/// A default category for seeding the registry. Admins may change every value afterwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategorySeed {
    pub code: String,
    pub name_ru: String,
    pub name_en: String,
    pub emergency: bool,
    pub deadline: Deadline,
    /// The legal basis of the deadline, for the registry UI (verify clause numbers before citing them).
    pub basis: String,
    /// A complaint of this category is about one flat and points at its occupant: it stays out of
    /// the public list, the map and Open311 ([`crate::category_is_public`]).
    pub identifies_occupant: bool,
    /// The legal clocks a complaint of this category runs ([`crate::clock_specs`]): the fix clock
    /// takes `deadline`; the 59-ФЗ answer is every complaint's own and is not listed.
    pub clocks: Vec<ClockSpec>,
}

impl CategorySeed {
    /// The category with the given database id.
    pub fn to_category(&self, id: Uuid) -> Category {
        Category {
            id,
            code: self.code.clone(),
            emergency: self.emergency,
            deadline: self.deadline,
        }
    }
}

fn seed(
    code: &str,
    name_ru: &str,
    name_en: &str,
    emergency: bool,
    deadline: Deadline,
    basis: &str,
) -> CategorySeed {
    CategorySeed {
        code: code.to_owned(),
        name_ru: name_ru.to_owned(),
        name_en: name_en.to_owned(),
        emergency,
        deadline,
        basis: basis.to_owned(),
        identifies_occupant: OCCUPANT_CATEGORIES.contains(&code),
        clocks: seed_clocks(code, emergency, deadline, basis),
    }
}

/// Damage to in-house water, sewerage, heating or power networks: localised within 30 minutes
/// (ПП 416 п. 13).
const LOCALISE_CATEGORIES: &[&str] = &["no_heating", "no_water", "no_power", "flooding"];

/// A reported drop in the quality of a utility service: checked within 2 hours (ПП 354 п. 108).
const UTILITY_QUALITY_CATEGORIES: &[&str] = &["no_heating", "no_water", "no_power"];

/// The default clocks: the checks and the localisation come first, then the answer (ordinary
/// categories) and the fix (the category's deadline).
fn seed_clocks(code: &str, emergency: bool, deadline: Deadline, basis: &str) -> Vec<ClockSpec> {
    let mut clocks = Vec::new();
    if LOCALISE_CATEGORIES.contains(&code) {
        clocks.push(ClockSpec::new(
            ClockKind::Localise,
            Deadline::Minutes(30),
            PP416_LOCALISE,
        ));
    }
    if UTILITY_QUALITY_CATEGORIES.contains(&code) {
        clocks.push(ClockSpec::new(
            ClockKind::Check,
            Deadline::Hours(2),
            PP354_CHECK,
        ));
    }
    clocks.extend(default_clock_specs(emergency, deadline, basis));
    clocks
}

/// Default categories about one flat: a leak through the ceiling from a bathroom names the flat
/// above (the other defaults concern a building's common parts or its networks).
const OCCUPANT_CATEGORIES: &[&str] = &["bathroom_leak"];

/// Default categories from the deadlines reference in DOMAIN.md.
///
/// - Emergencies (ПП РФ № 416 п. 13) are in hours: a sewer or rubbish-chute blockage 2 h; damage to
///   in-house water, sewerage, heating or power networks is localised within 30 min and fixed fully
///   within 3 days (сутки), so the complaint deadline is 72 h.
/// - Repairs (ПП Госстроя № 170, приложение 2) are in calendar days (the rules count сутки).
///   Broken glass takes the winter value, 1 day *(design: seasons are not modelled)*.
/// - Anything else is an ordinary written request: 10 working days (ПП 416; clause unconfirmed).
/// - A lift stopped with people inside has no deadline in the reference; 1 h is a *(design)* value.
pub fn default_categories() -> Vec<CategorySeed> {
    const PP416: &str = "ПП РФ № 416, п. 13";
    const PP170: &str = "ПП Госстроя РФ № 170, приложение 2";
    vec![
        seed(
            "no_heating",
            "Нет отопления",
            "No heating",
            true,
            Deadline::Hours(72),
            "ПП РФ № 416, п. 13: устранение аварии — не более 3 суток",
        ),
        seed(
            "no_water",
            "Нет воды",
            "No water",
            true,
            Deadline::Hours(72),
            "ПП РФ № 416, п. 13: устранение аварии — не более 3 суток",
        ),
        seed(
            "no_power",
            "Нет электричества",
            "No power",
            true,
            Deadline::Hours(72),
            "ПП РФ № 416, п. 13: устранение аварии — не более 3 суток",
        ),
        seed(
            "flooding",
            "Затопление, авария на внутридомовых сетях",
            "Flooding, in-house network failure",
            true,
            Deadline::Hours(72),
            "ПП РФ № 416, п. 13: локализация — 30 мин, устранение — не более 3 суток",
        ),
        seed(
            "sewer_blockage",
            "Засор канализации",
            "Sewer blockage",
            true,
            Deadline::Hours(2),
            PP416,
        ),
        seed(
            "rubbish_chute_blockage",
            "Засор мусоропровода",
            "Rubbish chute blockage",
            true,
            Deadline::Hours(2),
            "ПП РФ № 416, п. 13 (08:00–23:00)",
        ),
        seed(
            "lift_people_trapped",
            "Остановка лифта с людьми",
            "Lift stopped with people inside",
            true,
            Deadline::Hours(1),
            "(design) значение по умолчанию, проверить по правилам эксплуатации лифтов",
        ),
        seed(
            "roof_leak",
            "Протечка кровли",
            "Roof leak",
            false,
            Deadline::CalendarDays(1),
            PP170,
        ),
        seed(
            "gutters",
            "Неисправность водостоков",
            "Gutters and downpipes",
            false,
            Deadline::CalendarDays(5),
            PP170,
        ),
        seed(
            "loose_bricks",
            "Угроза выпадения кирпичей",
            "Loose bricks",
            false,
            Deadline::CalendarDays(1),
            PP170,
        ),
        seed(
            "broken_glass",
            "Разбитые стёкла в подъезде",
            "Broken glass in common areas",
            false,
            Deadline::CalendarDays(1),
            "ПП Госстроя РФ № 170, приложение 2: 1 сутки зимой, 3 летом",
        ),
        seed(
            "entrance_door",
            "Неисправность входной двери",
            "Entrance door fault",
            false,
            Deadline::CalendarDays(1),
            PP170,
        ),
        seed(
            "falling_plaster",
            "Отслоение штукатурки",
            "Falling plaster",
            false,
            Deadline::CalendarDays(5),
            PP170,
        ),
        seed(
            "bathroom_leak",
            "Протечка через перекрытие из санузла",
            "Bathroom leak through a floor",
            false,
            Deadline::CalendarDays(3),
            PP170,
        ),
        seed(
            "other",
            "Прочее (письменное обращение)",
            "Other (written request)",
            false,
            Deadline::WorkingDays(10),
            "ПП РФ № 416: ответ на письменное обращение — 10 рабочих дней (пункт не подтверждён)",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emergencies_are_in_hours_and_codes_unique() {
        let seeds = default_categories();
        let mut codes: Vec<_> = seeds.iter().map(|s| s.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), seeds.len());
        for s in &seeds {
            assert_eq!(
                s.emergency,
                matches!(s.deadline, Deadline::Hours(_)),
                "{}",
                s.code
            );
            assert!(s.deadline.value() > 0);
        }
    }
}
