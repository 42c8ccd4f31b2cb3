import { LANGUAGES, useI18n } from '@/lib/i18n';

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.groupLabel')}>
      {LANGUAGES.map((lang) => (
        <button
          key={lang}
          type="button"
          lang={lang}
          className="lang-switch__option"
          aria-pressed={language === lang}
          title={t(`lang.${lang}`)}
          onClick={() => setLanguage(lang)}
        >
          {/* The accessible name starts with the visible text (WCAG 2.5.3, label in name). */}
          {t(`lang.${lang}.short`)}
          <span className="visually-hidden"> ({t(`lang.${lang}`)})</span>
        </button>
      ))}
    </div>
  );
}
