import { useState, type KeyboardEvent } from 'react';
import { MAX_PROJECT_DESCRIPTION, MAX_PROJECT_NAME, type OpenProjectState } from '../../../shared/contract/index';
import { tooLongProblem } from '../../lib/text';
import { useActions } from '../../store/react';
import { TextAreaField, TextField } from '../common/text-field';

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
  const nameError = name.trim() === '' ? 'The project name cannot be empty.' : tooLongProblem(name, MAX_PROJECT_NAME);
  const descriptionError = tooLongProblem(description, MAX_PROJECT_DESCRIPTION);
  const commitDescription = () => {
    if (!descriptionError) void updateDescription(description);
  };

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
      commitDescription();
    }
  };

  return (
    <div className="form-grid">
      <TextField
        label="Project name"
        value={name}
        limit={MAX_PROJECT_NAME}
        error={nameError}
        onChange={(e) => setName(e.target.value)}
        onBlur={commitName}
        onKeyDown={onNameKey}
      />
      <TextAreaField
        label="Description"
        value={description}
        rows={3}
        limit={MAX_PROJECT_DESCRIPTION}
        error={descriptionError}
        placeholder="What this plan is for, who works on it"
        onChange={(e) => setDescription(e.target.value)}
        onBlur={commitDescription}
        onKeyDown={onDescriptionKey}
      />
    </div>
  );
}
