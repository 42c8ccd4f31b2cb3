import { ruComplaint } from './ru.complaint';
import { ruExtra } from './ru.extra';
import { ruMessaging } from './ru.messaging';
import { ruCalendar } from './ru.calendar';
import { ruPolicy } from './ru.policy';
import { ruPrivacy } from './ru.privacy';
import { ruScreens } from './ru.screens';
import { ruAudit } from './ru.audit';
import { ruWebhooks } from './ru.webhooks';
import { ruInspection } from './ru.inspection';
import { ruActs } from './ru.acts';
import { ruDesk } from './ru.desk';
import { ruClocks } from './ru.clocks';
import { ruRecategorise } from './ru.recategorise';
import { ruDuplicates } from './ru.duplicates';
// Russian catalogue: the source of truth for message keys. en.ts must have exactly the same keys.
// Placeholders look like {name} and must match between languages.
export const ru = {
  'app.name': 'Виртуальная диспетчерская ЖКХ',
  'app.skipToContent': 'Перейти к основному содержанию',
  'app.loading': 'Загрузка…',
  'app.retry': 'Повторить',
  'app.pageTitle': '{page} — Виртуальная диспетчерская ЖКХ',

  'pilot.banner': 'Сервис работает в тестовом режиме',
  'pilot.bannerDetail': 'Данные могут быть удалены, а сроки — не соблюдаться.',

  'lang.groupLabel': 'Язык интерфейса',
  'lang.ru': 'Русский',
  'lang.en': 'English',
  'lang.ru.short': 'RU',
  'lang.en.short': 'EN',

  'nav.main': 'Основная навигация',
  'nav.home': 'Главная',
  'nav.myPage': 'Моя страница',
  'nav.signIn': 'Войти',
  'nav.apiDocs': 'Документация API',

  'user.signedInAs': 'Вы вошли как',
  'user.signOut': 'Выйти',
  'user.menuLabel': 'Текущий пользователь',

  'footer.city': 'Город: {city}',
  'footer.version': 'Версия {version}',
  'footer.timeZone': 'Часовой пояс: {zone}',
  'footer.note': 'Муниципальный сервис контроля работы управляющих компаний.',

  'home.title': 'Жалобы на управляющую компанию — под контролем города',
  'home.lead':
    'Сообщите о проблеме в вашем доме: жалоба сразу попадёт в управляющую компанию, которая обслуживает дом, и на контрольную доску департамента городского хозяйства (ДГХ).',
  'home.howTitle': 'Как это работает',
  'home.step1': 'Вы подаёте жалобу на сайте. Если нет компьютера — обратитесь в ближайший ТОС: специалист примет жалобу на месте, без бумажного заявления, и назовёт её номер.',
  'home.step2': 'Жалоба сразу направляется в управляющую компанию вашего дома и ставится на контроль в ДГХ.',
  'home.step3': 'Управляющая компания выполняет работу и отмечает жалобу как исполненную.',
  'home.step4': 'Специалист города звонит вам и спрашивает, сделана ли работа и довольны ли вы результатом. Если нет — жалоба уходит на повторное исполнение как срочная.',
  'home.step5': 'Если работа не сделана, на место выезжает муниципальный жилищный контроль: он может выдать предписание со сроком и назначить штраф.',
  'home.signInCta': 'Войти в систему',
  'home.docsCta': 'Документация API',
  'home.accountsNote': 'Вход нужен жителям, специалистам ТОС, управляющим компаниям, ДГХ, жилищному контролю и администраторам.',

  'login.title': 'Вход в систему',
  'login.intro': 'Введите логин и пароль, выданные вам для работы с сервисом.',
  'login.login': 'Логин',
  'login.loginHint': 'Обычно это адрес электронной почты.',
  'login.password': 'Пароль',
  'login.submit': 'Войти',
  'login.submitting': 'Выполняется вход…',
  'login.errorSummary': 'Не удалось войти',
  'login.loginRequired': 'Введите логин.',
  'login.passwordRequired': 'Введите пароль.',
  'login.sessionRequired': 'Чтобы открыть эту страницу, войдите в систему.',
  'login.signedOut': 'Вы вышли из системы.',

  'error.invalid_credentials': 'Неверный логин или пароль.',
  'error.validation_failed': 'Проверьте правильность заполнения полей.',
  'error.unauthorized': 'Сеанс истёк. Войдите снова.',
  'error.invalid_token': 'Сеанс истёк. Войдите снова.',
  'error.missing_token': 'Войдите в систему, чтобы продолжить.',
  'error.service_unavailable': 'Сервис временно недоступен. Попробуйте позже.',
  'error.internal_error': 'На сервере произошла ошибка. Попробуйте позже.',
  'error.forbidden': 'Недостаточно прав для этого действия.',
  'error.too_many_requests': 'Слишком много попыток. Подождите немного и попробуйте снова.',
  'error.network_error': 'Сервер недоступен. Проверьте подключение и попробуйте снова.',
  'error.server': 'На сервере произошла ошибка. Попробуйте позже.',
  'error.generic': 'Что-то пошло не так. Попробуйте ещё раз.',
  'error.loadProfile': 'Не удалось загрузить данные пользователя.',

  'role.resident.name': 'Житель',
  'role.clerk.name': 'Специалист ТОС',
  'role.company.name': 'Сотрудник управляющей компании',
  'role.dispatcher.name': 'Специалист ДГХ',
  'role.inspector.name': 'Инспектор жилищного контроля',
  'role.admin.name': 'Администратор',

  'role.resident.summary': 'Подаёт жалобы на работу управляющей компании и следит за их исполнением.',

  'role.clerk.summary': 'Принимает жалобы от жителей, которые приходят в ТОС лично.',

  'role.company.summary': 'Исполняет жалобы по домам, которыми управляет ваша компания.',

  'role.dispatcher.summary': 'Ведёт контрольную доску ДГХ и следит за всем ходом каждой жалобы.',

  'role.inspector.summary': 'Проводит проверки муниципального жилищного контроля.',

  'role.admin.summary': 'Ведёт справочники системы.',


  'gate.title': 'Эта страница для другой роли',
  'gate.text': 'Страница предназначена для роли «{required}», а вы вошли как «{actual}».',
  'gate.goToMine': 'Перейти на свою страницу',

  'notFound.title': 'Страница не найдена',
  'notFound.text': 'Такой страницы нет. Возможно, ссылка устарела или в адресе опечатка.',
  'notFound.home': 'На главную',
  ...ruScreens,
  ...ruComplaint,
  ...ruExtra,
  ...ruMessaging,
  ...ruWebhooks,
  ...ruDesk,
  ...ruClocks,
  ...ruDuplicates,
  ...ruAudit,
  ...ruPrivacy,
  ...ruInspection,
  ...ruActs,
  ...ruPolicy,
  ...ruRecategorise,
  ...ruCalendar,
} satisfies Record<string, string>;

export type MessageKey = keyof typeof ru;
export type Messages = Record<MessageKey, string>;
