//! A month of demo complaints for `make run`, played through the real lifecycle rules so that
//! every status, round, order and fine on the screens and in the scorecard is one the domain
//! could have produced.

use chrono::{DateTime, Datelike, Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::complaints::{self, Filing};
use crate::entities::{building, user};
use crate::registry;
use crate::{Db, RepoError};

const DESCRIPTIONS: [&str; 8] = [
    "Третий день нет горячей воды во всём подъезде.",
    "Протекает крыша над верхним этажом, вода на лестнице.",
    "Не работает освещение на лестничной клетке 3–5 этажей.",
    "Подъездная дверь не закрывается, сломан доводчик.",
    "Мусор у контейнерной площадки не вывозят неделю.",
    "В подвале стоит вода, запах сырости в квартирах первого этажа.",
    "Разбито окно между 2 и 3 этажом, в подъезде холодно.",
    "Лифт останавливается между этажами.",
];

const APPLICANTS: [&str; 4] = [
    "Петров Иван Сергеевич",
    "Соколова Нина Александровна",
    "Хабибуллин Марат Рашитович",
    "Ковальчук Ольга Игоревна",
];

/// The demo staff and residents, found by their demo logins.
struct Cast {
    residents: Vec<domain::Actor>,
    clerk: domain::Actor,
    dispatcher: domain::Actor,
    inspector: domain::Actor,
    /// Company actors by organisation.
    companies: Vec<domain::Actor>,
}

async fn cast(db: &Db) -> Result<Cast, RepoError> {
    let db = db.connection();
    let users = user::Entity::find()
        .order_by_asc(user::Column::Login)
        .all(db)
        .await?;
    let actor = |u: &user::Model| -> Result<domain::Actor, RepoError> {
        Ok(domain::Actor::person(
            u.id,
            crate::mapping::parse_enum(&u.role)?,
            u.organisation_id,
        ))
    };
    let find = |login: &str| {
        users
            .iter()
            .find(|u| u.login == login)
            .ok_or(RepoError::NotFound)
    };
    let residents = users
        .iter()
        .filter(|u| u.role == "resident")
        .map(actor)
        .collect::<Result<Vec<_>, _>>()?;
    let companies = users
        .iter()
        .filter(|u| u.role == "company")
        .map(actor)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Cast {
        residents,
        clerk: actor(find("clerk@demo.test")?)?,
        dispatcher: actor(find("dispatcher@demo.test")?)?,
        inspector: actor(find("inspector@demo.test")?)?,
        companies,
    })
}

/// Files `count` complaints over the 30 days before `now` and moves each along one of eight
/// typical paths. Only buildings of companies with a demo account are used.
pub async fn load(
    db: &Db,
    count: usize,
    now: DateTime<Utc>,
    policy: &domain::Policy,
    calendar: &domain::Calendar,
) -> Result<(), RepoError> {
    let cast = cast(db).await?;
    let company_ids: Vec<Uuid> = cast
        .companies
        .iter()
        .filter_map(|a| a.organisation_id)
        .collect();
    let buildings = building::Entity::find()
        .filter(building::Column::CompanyId.is_in(company_ids))
        .order_by_asc(building::Column::Address)
        .all(db.connection())
        .await?;
    let categories = registry::categories(db).await?;
    if buildings.is_empty() || categories.is_empty() || cast.residents.is_empty() {
        return Ok(());
    }
    for i in 0..count {
        let b = &buildings[(i * 7) % buildings.len()];
        let cat = &categories[(i * 5) % categories.len()];
        let Some(company) = cast
            .companies
            .iter()
            .find(|a| a.organisation_id == b.company_id)
        else {
            continue;
        };
        // Spread evenly over the past 30 days, oldest first.
        let minutes_ago = (30 * 24 * 60) * (count - i) / count;
        let start = now - Duration::minutes(i64::try_from(minutes_ago).unwrap_or(0));
        let by_clerk = i % 5 == 0;
        let filer = if by_clerk {
            &cast.clerk
        } else {
            &cast.residents[i % cast.residents.len()]
        };
        let applicant_name = APPLICANTS[i % APPLICANTS.len()];
        let registered = match domain::register(
            domain::NewComplaint {
                id: Uuid::now_v7(),
                category: cat.category.clone(),
                company_id: b.company_id,
                description: DESCRIPTIONS[i % DESCRIPTIONS.len()].to_owned(),
                applicant: by_clerk.then(|| domain::Applicant {
                    name: applicant_name.to_owned(),
                    phone: None,
                    consent: domain::Consent {
                        accepted: true,
                        version: domain::CONSENT_VERSION.to_owned(),
                    },
                }),
                quota: domain::DailyQuota::UNLIMITED,
            },
            filer,
            start,
            policy,
            calendar,
        ) {
            Ok(t) => t,
            Err(_) => continue,
        };
        let uow = complaints::begin(db).await?;
        let filing = Filing {
            building_id: b.id,
            building_address: b.address.clone(),
            flat: Some(format!("{}", 1 + (i * 13) % 120)),
            description: DESCRIPTIONS[i % DESCRIPTIONS.len()].to_owned(),
            applicant_name: Some(if by_clerk {
                applicant_name.to_owned()
            } else {
                "Житель (демо)".to_owned()
            }),
            applicant_phone: Some(format!("+7922{:07}", 1_000_000 + i)),
            consent_version: by_clerk.then(|| domain::CONSENT_VERSION.to_owned()),
            pin_hash: None,
            is_test: false,
        };
        let clocks = domain::clocks_for_category(&cat.category, 1, start, calendar);
        uow.insert_complaint(&filing, &registered, &clocks).await?;
        uow.assign_number(
            registered.complaint.id,
            calendar.local_date(start).year(),
            &filing,
        )
        .await?;
        let mut current = registered.complaint;
        let mut at = start;
        let steps = path(i, company, &cast, filer, at);
        for (actor, action, hours) in steps {
            at += Duration::hours(hours);
            if at >= now {
                break;
            }
            let Ok(next) = domain::apply(&current, &action, actor, at, policy, calendar) else {
                break;
            };
            uow.save_transition(&current, &next, false).await?;
            current = next.complaint;
        }
        uow.commit().await?;
    }
    Ok(())
}

fn call(outcome: domain::CallOutcome) -> domain::Action {
    domain::Action::RecordCall {
        outcome,
        comment: None,
    }
}

fn done() -> domain::Action {
    domain::Action::ReportDone {
        note: "Работы выполнены".to_owned(),
    }
}

/// One of eight typical paths: (who, what, hours after the previous step).
fn path<'a>(
    i: usize,
    company: &'a domain::Actor,
    cast: &'a Cast,
    filer: &'a domain::Actor,
    start: DateTime<Utc>,
) -> Vec<(&'a domain::Actor, domain::Action, i64)> {
    use domain::Action as A;
    use domain::CallOutcome as O;
    let accept = (company, A::Accept, 2);
    let resident = if filer.role == domain::Role::Resident {
        filer
    } else {
        &cast.dispatcher
    };
    let satisfied = if filer.role == domain::Role::Resident {
        A::ResidentAnswer {
            satisfied: true,
            comment: Some("Спасибо, всё сделали".to_owned()),
        }
    } else {
        call(O::Satisfied)
    };
    match i % 8 {
        0 => vec![],
        1 => vec![
            accept,
            (
                company,
                A::AssignExecutor {
                    executor: "Бригада №2".to_owned(),
                },
                1,
            ),
        ],
        2 => vec![accept, (company, done(), 20)],
        3 => vec![
            accept,
            (company, done(), 18),
            (&cast.dispatcher, call(O::Satisfied), 6),
        ],
        4 => vec![
            accept,
            (company, done(), 18),
            (&cast.dispatcher, call(O::Unsatisfied), 6),
        ],
        5 => vec![
            accept,
            (company, done(), 18),
            (&cast.dispatcher, call(O::Unsatisfied), 6),
            (company, done(), 20),
            (resident, satisfied, 5),
        ],
        6 => {
            let mut steps = vec![
                accept,
                (company, done(), 30),
                (&cast.dispatcher, call(O::NotDone), 4),
                (
                    &cast.inspector,
                    A::RecordFindings {
                        violation: true,
                        findings: "Нарушение подтверждено на месте".to_owned(),
                    },
                    26,
                ),
                (
                    &cast.inspector,
                    A::IssueOrder {
                        order_id: Uuid::now_v7(),
                        due_at: start + Duration::days(5),
                        text: "Устранить нарушение в течение двух суток".to_owned(),
                    },
                    2,
                ),
            ];
            // Every other one is not complied with in time: a fine under КоАП 19.5.
            if i % 16 == 6 {
                steps.push((&cast.inspector, A::CheckCompliance { complied: false }, 60));
                let article = domain::default_fine_articles()
                    .into_iter()
                    .find(|a| a.code == "19.5 ч.1");
                if let Some(article) = article {
                    steps.push((
                        &cast.inspector,
                        A::RecordFine {
                            article,
                            offender: domain::Offender::LegalEntity,
                            amount_rub: 15_000,
                        },
                        24,
                    ));
                }
            }
            steps
        }
        _ => vec![
            accept,
            (company, done(), 200),
            (&cast.dispatcher, call(O::Satisfied), 4),
        ],
    }
}
