// The projector's Q&A view: the pinned question ("being answered now") large,
// the top unanswered questions below it. Only what the audience may see is
// shown, even when the projector runs with the moderator's token.

import { byId, setText } from './dom.js';
import { QuestionList, isPublic, renderQuestion, sortQuestions } from './qa.js';

const kTopWithPinned = 4;
const kTopAlone = 6;

/**
 * @param {import('./live.js').LiveEvent} live
 * @returns {{render: () => void, pinnedId: () => (number|null)}}
 */
export function mountPresentQa(live) {
  const featured = byId('qa-featured');
  let featuredKey = '';
  const top = new QuestionList(byId('qa-top'), {
    render: (q) => renderQuestion(q, { role: 'projector' }),
    key: (q) => JSON.stringify(q),
  });

  const publicQuestions = () => [...live.state.questions.values()].filter(isPublic);
  const pinned = () => publicQuestions().find((q) => q.pinned) || null;

  function render() {
    const p = pinned();
    const key = p ? JSON.stringify(p) : '';
    if (key !== featuredKey) {
      featuredKey = key;
      featured.replaceChildren(...(p ? [renderQuestion(p, { role: 'projector', featured: true, tag: 'article' })] : []));
    }
    featured.hidden = !p;
    // Answered questions leave the projector's list; the pinned one is already large.
    const rest = sortQuestions(publicQuestions().filter((q) => !q.pinned && !q.answered), 'top')
      .slice(0, p ? kTopWithPinned : kTopAlone);
    top.update(rest);
    byId('qa-top-title').hidden = rest.length === 0;
    setText(byId('qa-top-title'), p ? 'Up next' : 'Top questions');
    const empty = !p && rest.length === 0;
    byId('qa-present-empty').hidden = !empty;
    setText(byId('qa-present-empty-text'), live.state.qa.enabled === false
      ? 'Q&A is closed for now.'
      : 'Ask them on your phone — open the Q&A tab and upvote the ones you want answered.');
  }

  return { render, pinnedId: () => (pinned() ? pinned().id : null) };
}
