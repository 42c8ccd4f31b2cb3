import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/render';
import { checkFile } from '../api/attachments';
import { FilePicker } from './Attachments';

const file = (name: string, type: string) => new File([new Uint8Array([1, 2, 3])], name, { type });

describe('FilePicker', () => {
  it('offers and accepts JPEG, PNG, WebP and PDF', async () => {
    const onChange = vi.fn();
    renderWithProviders(<FilePicker files={[]} onChange={onChange} label="Фото" testId="picker" />);
    const input = screen.getByTestId('picker');
    expect(input.getAttribute('accept')?.split(',')).toEqual(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']);
    expect(screen.getByText(/JPEG, PNG, WebP или PDF/)).toBeInTheDocument();

    const picked = [file('kitchen.jpg', 'image/jpeg'), file('roof.webp', 'image/webp'), file('act.pdf', 'application/pdf')];
    await userEvent.setup().upload(input, picked);
    expect(onChange).toHaveBeenLastCalledWith(picked);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('refuses other types with a message', async () => {
    const onChange = vi.fn();
    renderWithProviders(<FilePicker files={[]} onChange={onChange} label="Фото" testId="picker" />);
    const webp = file('roof.webp', 'image/webp');
    await userEvent.setup({ applyAccept: false }).upload(screen.getByTestId('picker'), [webp, file('scan.heic', 'image/heic')]);
    expect(onChange).toHaveBeenLastCalledWith([webp]);
    expect(screen.getByRole('alert')).toHaveTextContent('Файл «scan.heic» — не JPEG, PNG, WebP или PDF.');
  });
});

describe('checkFile', () => {
  it('allows WebP like the other photos', () => {
    expect(checkFile(file('a.webp', 'image/webp'))).toBeNull();
    expect(checkFile(file('a.gif', 'image/gif'))).toBe('wrong_type');
  });
});
