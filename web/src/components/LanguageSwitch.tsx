import { languageNames, languages } from '../i18n/languages.ts';
import { useI18n } from '../i18n/use-t.ts';

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="segmented" role="group" aria-label={t('language.label')}>
      {languages.map((code) => (
        <button
          key={code}
          type="button"
          lang={code}
          title={languageNames[code].full}
          aria-pressed={lang === code}
          data-testid={`lang-${code}`}
          onClick={() => setLang(code)}
        >
          {languageNames[code].short}
        </button>
      ))}
    </div>
  );
}
