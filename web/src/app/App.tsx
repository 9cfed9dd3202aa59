import { BrowserRouter } from 'react-router-dom';
import { I18nProvider } from '../i18n/I18nProvider.tsx';
import { AppRoutes } from './AppRoutes.tsx';
import { SessionProvider } from './SessionProvider.tsx';

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </SessionProvider>
    </I18nProvider>
  );
}
