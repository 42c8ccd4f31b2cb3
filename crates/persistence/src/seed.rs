//! Demo data: a small Surgut-like city with management companies, buildings, categories and one
//! account per role. Loaded only in demo mode, and only into an empty database.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, EntityTrait, PaginatorTrait};
use uuid::Uuid;

use crate::entities::{building, building_management, category, organisation, user};
use crate::{Db, RepoError};

use domain::OrganisationKind::{CityDepartment, Inspection, ManagementCompany, TosOffice};

/// A demo account; every one shares the demo password given to [`load_demo`].
pub struct DemoUser {
    pub login: &'static str,
    pub name: &'static str,
    pub phone: &'static str,
    pub role: &'static str,
    /// Index into [`ORGANISATIONS`].
    pub organisation: Option<usize>,
}

const ORGANISATIONS: [(domain::OrganisationKind, &str, &str); 8] = [
    (ManagementCompany, "ООО «УК Северный город»", "8602000001"),
    (
        ManagementCompany,
        "ООО «УК ДЕЗ Центрального района»",
        "8602000002",
    ),
    (ManagementCompany, "ООО «УК Югра-Сервис»", "8602000003"),
    (ManagementCompany, "ООО «УК Уютный дом»", "8602000004"),
    (
        CityDepartment,
        "Департамент городского хозяйства",
        "8602000100",
    ),
    (
        Inspection,
        "Отдел муниципального жилищного контроля",
        "8602000200",
    ),
    (TosOffice, "ТОС «Микрорайон 5А»", "8602000301"),
    (TosOffice, "ТОС «Пойма»", "8602000302"),
];

pub const DEMO_USERS: [DemoUser; 14] = [
    DemoUser {
        login: "resident@demo.test",
        name: "Иванова Мария Петровна",
        phone: "+79220000001",
        role: "resident",
        organisation: None,
    },
    DemoUser {
        login: "resident2@demo.test",
        name: "Ахмедов Руслан Ильдарович",
        phone: "+79220000002",
        role: "resident",
        organisation: None,
    },
    DemoUser {
        login: "clerk@demo.test",
        name: "Петрова Анна Сергеевна",
        phone: "+79220000003",
        role: "clerk",
        organisation: Some(6),
    },
    DemoUser {
        login: "clerk2@demo.test",
        name: "Шарипова Гульнара Ринатовна",
        phone: "+79220000011",
        role: "clerk",
        organisation: Some(7),
    },
    DemoUser {
        login: "company@demo.test",
        name: "Сидоров Павел Андреевич",
        phone: "+79220000004",
        role: "company",
        organisation: Some(0),
    },
    DemoUser {
        login: "company2@demo.test",
        name: "Галиева Лилия Маратовна",
        phone: "+79220000005",
        role: "company",
        organisation: Some(1),
    },
    DemoUser {
        login: "company3@demo.test",
        name: "Никитин Сергей Олегович",
        phone: "+79220000009",
        role: "company",
        organisation: Some(2),
    },
    DemoUser {
        login: "company4@demo.test",
        name: "Власова Елена Дмитриевна",
        phone: "+79220000010",
        role: "company",
        organisation: Some(3),
    },
    DemoUser {
        login: "dispatcher@demo.test",
        name: "Смирнова Ольга Викторовна",
        phone: "+79220000006",
        role: "dispatcher",
        organisation: Some(4),
    },
    DemoUser {
        login: "dispatcher2@demo.test",
        name: "Ковалёв Денис Александрович",
        phone: "+79220000012",
        role: "dispatcher",
        organisation: Some(4),
    },
    DemoUser {
        login: "inspector@demo.test",
        name: "Кузнецов Игорь Николаевич",
        phone: "+79220000007",
        role: "inspector",
        organisation: Some(5),
    },
    DemoUser {
        login: "inspector2@demo.test",
        name: "Морозова Татьяна Юрьевна",
        phone: "+79220000013",
        role: "inspector",
        organisation: Some(5),
    },
    DemoUser {
        login: "admin@demo.test",
        name: "Администратор системы",
        phone: "+79220000008",
        role: "admin",
        organisation: Some(4),
    },
    DemoUser {
        login: "admin2@demo.test",
        name: "Заместитель администратора",
        phone: "+79220000014",
        role: "admin",
        organisation: Some(4),
    },
];

/// Streets of the demo city with their district and a rough centre point.
const STREETS: [(&str, &str, f64, f64); 10] = [
    ("проспект Ленина", "Центральный", 61.2540, 73.3960),
    ("улица 30 лет Победы", "Северный жилой", 61.2690, 73.3830),
    ("улица Университетская", "Центральный", 61.2580, 73.4100),
    ("улица Профсоюзов", "Восточный", 61.2610, 73.4300),
    ("улица Энергетиков", "Западный", 61.2480, 73.3650),
    ("проспект Мира", "Центральный", 61.2520, 73.4050),
    ("улица Мелик-Карамова", "Северный жилой", 61.2750, 73.3700),
    ("улица Югорская", "Северо-восточный", 61.2800, 73.4200),
    ("улица Маяковского", "Центральный", 61.2490, 73.4150),
    ("Комсомольский проспект", "Восточный", 61.2650, 73.4400),
];

/// Whether the database already holds registries.
pub async fn is_empty(db: &Db) -> Result<bool, RepoError> {
    let db = db.connection();
    Ok(organisation::Entity::find().count(db).await? == 0)
}

/// Loads the demo city into an empty database in one transaction. `password_hash` is the
/// argon2 hash of the shared demo password.
pub async fn load_demo(db: &Db, password_hash: &str, now: DateTime<Utc>) -> Result<(), RepoError> {
    let db = db.connection();
    let txn = crate::begin_write(db).await?;
    let org_ids: Vec<Uuid> = ORGANISATIONS.iter().map(|_| Uuid::now_v7()).collect();
    organisation::Entity::insert_many(ORGANISATIONS.iter().zip(&org_ids).map(
        |((kind, name, inn), id)| organisation::ActiveModel {
            id: Set(*id),
            kind: Set(kind.as_str().to_owned()),
            name: Set((*name).to_owned()),
            inn: Set(Some((*inn).to_owned())),
            phone: Set(None),
            email: Set(None),
            is_test: Set(false),
            created_at: Set(now),
            name_folded: Set(crate::registry::fold_name(name)),
            active: Set(true),
        },
    ))
    .exec(&txn)
    .await?;

    let companies: Vec<Uuid> = ORGANISATIONS
        .iter()
        .zip(&org_ids)
        .filter(|((kind, _, _), _)| *kind == ManagementCompany)
        .map(|(_, id)| *id)
        .collect();
    let placed: Vec<(Uuid, Uuid, building::ActiveModel)> = (0..50usize)
        .map(|n| {
            let (street, district, lat, lon) = STREETS[n % STREETS.len()];
            let house = 1 + (n / STREETS.len()) * 4 + n % 3;
            let offset = (n as f64) * 0.0007;
            let (id, company) = (Uuid::now_v7(), companies[n % companies.len()]);
            let row = building::ActiveModel {
                id: Set(id),
                address: Set(format!("г. Сургут, {street}, д. {house}")),
                district: Set(district.to_owned()),
                fias_id: Set(None),
                latitude: Set(Some(lat + offset % 0.004)),
                longitude: Set(Some(lon + offset % 0.006)),
                company_id: Set(Some(company)),
                is_test: Set(false),
                created_at: Set(now),
            };
            (id, company, row)
        })
        .collect();
    let management: Vec<_> = placed
        .iter()
        .map(
            |(building_id, company_id, _)| building_management::ActiveModel {
                id: Set(Uuid::now_v7()),
                building_id: Set(*building_id),
                company_id: Set(*company_id),
                since: Set(now),
                until: Set(None),
            },
        )
        .collect();
    let buildings: Vec<_> = placed.into_iter().map(|(_, _, row)| row).collect();
    building::Entity::insert_many(buildings).exec(&txn).await?;
    building_management::Entity::insert_many(management)
        .exec(&txn)
        .await?;

    category::Entity::insert_many(domain::default_categories().into_iter().map(|seed| {
        let (unit, value) = crate::deadline_columns(&seed.deadline);
        category::ActiveModel {
            id: Set(Uuid::now_v7()),
            code: Set(seed.code),
            name_ru: Set(seed.name_ru),
            name_en: Set(seed.name_en),
            emergency: Set(seed.emergency),
            deadline_unit: Set(unit.to_owned()),
            deadline_value: Set(value),
            legal_basis: Set(Some(seed.basis)),
            is_active: Set(true),
            identifies_occupant: Set(seed.identifies_occupant),
        }
    }))
    .exec(&txn)
    .await?;

    let mut persons = Vec::with_capacity(DEMO_USERS.len());
    for u in DEMO_USERS {
        persons.push(
            crate::persons::insert(
                &txn,
                crate::persons::PersonData {
                    name: Some(u.name.to_owned()),
                    phone: Some(u.phone.to_owned()),
                    email: Some(u.login.to_owned()),
                    is_account: true,
                    ..Default::default()
                },
                now,
            )
            .await?,
        );
    }
    user::Entity::insert_many(DEMO_USERS.iter().zip(persons).map(|(u, person)| {
        user::ActiveModel {
            id: Set(Uuid::now_v7()),
            person_id: Set(Some(person)),
            login: Set(u.login.to_owned()),
            role: Set(u.role.to_owned()),
            organisation_id: Set(u.organisation.map(|i| org_ids[i])),
            password_hash: Set(password_hash.to_owned()),
            is_active: Set(true),
            is_test: Set(false),
            is_service: Set(false),
            created_at: Set(now),
            erased_at: Set(None),
        }
    }))
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}
