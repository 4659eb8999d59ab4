import { useState, type KeyboardEvent } from 'react';
import type { OpenProjectState } from '../../../shared/contract/index';
import { useActions } from '../../store/react';

/**
 * Name and description, saved into the project when a field is left or Enter is pressed
 * (Escape puts the field back). Each change marks the project unsaved, so a change is sent
 * once, not at every keystroke.
 */
export function ProjectForm({ project }: { project: OpenProjectState }) {
  // Another project (or the same file reopened) starts with fresh drafts.
  return <ProjectFormFields key={project.sessionId} project={project} />;
}

function ProjectFormFields({ project }: { project: OpenProjectState }) {
  const { rename, updateDescription } = useActions();
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description);
  // When the engine's value changes (this form's own change, or one from elsewhere: the
  // menu, a restart), the field shows it. Adjusted during render, not remounted, so the
  // field the user is in keeps its focus.
  const [seen, setSeen] = useState({ name: project.name, description: project.description });
  if (seen.name !== project.name || seen.description !== project.description) {
    if (seen.name !== project.name) setName(project.name);
    if (seen.description !== project.description) setDescription(project.description);
    setSeen({ name: project.name, description: project.description });
  }
  const nameError = name.trim() === '' ? 'The project name cannot be empty.' : null;

  const commitName = () => {
    if (nameError) return;
    if (name.trim() !== project.name) void rename(name);
  };
  const onNameKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      commitName();
    } else if (event.key === 'Escape') {
      setName(project.name);
    }
  };
  const onDescriptionKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') setDescription(project.description);
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void updateDescription(description);
    }
  };

  return (
    <div className="form-grid">
      <label className="field">
        <span className="field-label">Project name</span>
        <input
          type="text"
          value={name}
          maxLength={200}
          aria-invalid={nameError !== null}
          aria-describedby={nameError ? 'project-name-error' : undefined}
          onChange={(e) => setName(e.target.value)}
          onBlur={commitName}
          onKeyDown={onNameKey}
        />
        {nameError && (
          <span id="project-name-error" className="field-error">
            {nameError}
          </span>
        )}
      </label>
      <label className="field">
        <span className="field-label">Description</span>
        <textarea
          value={description}
          rows={3}
          maxLength={5000}
          placeholder="What this plan is for, who works on it"
          onChange={(e) => setDescription(e.target.value)}
          onBlur={() => void updateDescription(description)}
          onKeyDown={onDescriptionKey}
        />
      </label>
    </div>
  );
}
