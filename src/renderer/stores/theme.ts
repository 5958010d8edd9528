/**
 * Light or dark: the user's choice in Settings (system, light or dark, remembered in this
 * browser), and what it resolves to now. "System" follows `prefers-color-scheme` as it changes.
 * The resolved theme is set as `data-theme` on the document, where styles.css picks its colours,
 * and is read by the charts, which draw on canvases and so need colours of their own.
 */
import { create } from 'zustand';

export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'trainyard.theme';

interface ThemeState {
  choice: ThemeChoice;
  theme: Theme;
  choose(choice: ThemeChoice): void;
}

function readChoice(): ThemeChoice {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return (THEME_CHOICES as readonly string[]).includes(stored ?? '') ? (stored as ThemeChoice) : 'system';
  } catch {
    // Storage refused (a private window's policy): the choice lasts for this page only.
    return 'system';
  }
}

const lightQuery = (): MediaQueryList | null => (typeof matchMedia === 'undefined' ? null : matchMedia('(prefers-color-scheme: light)'));

export function resolveTheme(choice: ThemeChoice, systemLight: boolean): Theme {
  if (choice === 'system') return systemLight ? 'light' : 'dark';
  return choice;
}

function apply(theme: Theme): void {
  if (typeof document !== 'undefined') document.documentElement.dataset.theme = theme;
}

const initialChoice = typeof localStorage === 'undefined' ? 'system' : readChoice();

export const useTheme = create<ThemeState>((set) => ({
  choice: initialChoice,
  theme: resolveTheme(initialChoice, lightQuery()?.matches ?? false),
  choose(choice) {
    try {
      localStorage.setItem(STORAGE_KEY, choice);
    } catch (err) {
      console.warn('The theme choice could not be remembered in this browser', err);
    }
    set({ choice, theme: resolveTheme(choice, lightQuery()?.matches ?? false) });
  },
}));

apply(useTheme.getState().theme);
useTheme.subscribe((s) => apply(s.theme));
lightQuery()?.addEventListener('change', (e) => {
  const { choice } = useTheme.getState();
  if (choice === 'system') useTheme.setState({ theme: resolveTheme('system', e.matches) });
});
