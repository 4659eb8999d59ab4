import { describe, expect, it } from 'vitest';
import {
  folderOf,
  isAbsolutePath,
  joinPath,
  projectFileName,
  separatorOf,
  withProjectExtension,
} from '../../renderer/lib/paths';

describe('path helpers of the in-app file browser', () => {
  it('joins with the separator of the folder (POSIX or Windows)', () => {
    expect(joinPath('/home/ann', 'plan.cplan')).toBe('/home/ann/plan.cplan');
    expect(joinPath('/', 'plan.cplan')).toBe('/plan.cplan');
    expect(joinPath('C:\\Users\\Ann', 'plan.cplan')).toBe('C:\\Users\\Ann\\plan.cplan');
    expect(joinPath('C:\\', 'plan.cplan')).toBe('C:\\plan.cplan');
    expect(separatorOf('C:\\Users')).toBe('\\');
    expect(separatorOf('/tmp')).toBe('/');
  });

  it('knows absolute paths and folders', () => {
    expect(isAbsolutePath('/tmp/a.cplan')).toBe(true);
    expect(isAbsolutePath('D:/plans/a.cplan')).toBe(true);
    expect(isAbsolutePath('\\\\server\\share\\a.cplan')).toBe(true);
    expect(isAbsolutePath('a.cplan')).toBe(false);
    expect(folderOf('/tmp/x/a.cplan')).toBe('/tmp/x');
    expect(folderOf('/a.cplan')).toBe('/');
    expect(folderOf('C:\\plans\\a.cplan')).toBe('C:\\plans');
    expect(folderOf('a.cplan')).toBeNull();
  });

  it('makes file names for projects', () => {
    expect(withProjectExtension('spring')).toBe('spring.cplan');
    expect(withProjectExtension('spring.CPLAN')).toBe('spring.CPLAN');
    expect(projectFileName('Spring: wave 1/2')).toBe('Spring- wave 1-2.cplan');
    expect(projectFileName(' .. ')).toBe('Untitled project.cplan');
  });
});
