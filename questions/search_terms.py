"""The search's vocabulary rules, as data: spelling variants, abbreviations and stop words.

questions.search applies them the same way to the indexed text and to the query, so a British spelling in the
bank matches an American one typed by a candidate, and an abbreviation matches its expansion. Add a group here
and re-run `manage.py rebuild_search_index` (migrations and bank imports rebuild it on their own).
"""

import re

# Word-level spelling rules, British to American, tried in order on each lower-cased word. They only have to
# map every spelling of a word to the same key (the key is never shown), so "noise" becoming "noize" is harmless.
SPELLING_RULES: list[tuple[re.Pattern, str]] = [
    # optimise, normalisation, regularisers, parameterised, tokenisation ...
    (re.compile(r"^(\w{2,})is(e|es|ed|ing|er|ers|ation|ations|ational|able)$"), r"\1iz\2"),
    # analyse, paralysed
    (re.compile(r"^(\w{2,})ys(e|es|ed|ing|er|ers)$"), r"\1yz\2"),
]
SPELLING_WORDS: dict[str, str] = {
    "colour": "color",
    "colours": "colors",
    "behaviour": "behavior",
    "behaviours": "behaviors",
    "neighbour": "neighbor",
    "neighbours": "neighbors",
    "favour": "favor",
    "modelling": "modeling",
    "modelled": "modeled",
    "labelled": "labeled",
    "labelling": "labeling",
    "travelled": "traveled",
    "signalling": "signaling",
    "centre": "center",
    "centres": "centers",
    "centred": "centered",
    "metre": "meter",
    "fibre": "fiber",
    "artefact": "artifact",
    "artefacts": "artifacts",
    "catalogue": "catalog",
    "programme": "program",
    "defence": "defense",
    "licence": "license",
    "grey": "gray",
    "judgement": "judgment",
}

# Abbreviations and the phrases they stand for. The first entry of each group is its key (one word, no spaces);
# the others are spelled as a candidate might type them (after the spelling rules, hyphens count as spaces).
# A trailing plural "s" on the last word is matched too.
TERM_GROUPS: list[list[str]] = [
    ["batchnorm", "batch normalization", "batch norm", "bn"],
    ["layernorm", "layer normalization", "layer norm"],
    ["cnn", "convolutional neural network", "convolutional network", "convnet", "convolution network"],
    ["rnn", "recurrent neural network", "recurrent network", "recurrent net"],
    ["lstm", "long short term memory"],
    ["gru", "gated recurrent unit"],
    ["gan", "generative adversarial network", "generative adversarial net"],
    ["vae", "variational autoencoder", "variational auto encoder"],
    ["autoencoder", "auto encoder"],
    ["mlp", "multilayer perceptron", "multi layer perceptron"],
    ["sgd", "stochastic gradient descent"],
    ["relu", "rectified linear unit", "rectifier"],
    ["nlp", "natural language processing"],
    ["rlhf", "reinforcement learning from human feedback"],
    ["lora", "low rank adaptation", "low rank adapter"],
    ["qlora", "quantized low rank adaptation"],
    ["peft", "parameter efficient fine tuning"],
    ["llm", "large language model"],
    ["rag", "retrieval augmented generation"],
    ["pca", "principal component analysis", "principal components analysis"],
    ["svm", "support vector machine"],
    ["knn", "k nearest neighbor", "k nearest neighbors"],
    ["moe", "mixture of experts"],
    ["vit", "vision transformer"],
    ["mse", "mean squared error", "mean square error"],
    ["mae", "mean absolute error"],
    ["auc", "area under the curve", "area under curve"],
    ["roc", "receiver operating characteristic"],
    ["tfidf", "tf idf", "term frequency inverse document frequency"],
    ["bpe", "byte pair encoding"],
    ["dpo", "direct preference optimization"],
    ["ppo", "proximal policy optimization"],
    ["kvcache", "kv cache", "key value cache"],
    ["flashattention", "flash attention"],
    ["nms", "non maximum suppression", "non max suppression"],
    ["iou", "intersection over union"],
    ["kl", "kullback leibler"],
    ["backpropagation", "backprop", "back propagation", "backward propagation"],
    ["overfitting", "over fitting", "overfit", "overfits", "overfitted"],
    ["underfitting", "under fitting", "underfit"],
    ["finetuning", "fine tuning", "fine tune", "finetune", "fine tuned", "finetuned"],
    ["pretraining", "pre training", "pretrained", "pre trained"],
    ["hyperparameter", "hyper parameter"],
    ["dropout", "drop out"],
    ["softmax", "soft max"],
    ["tsne", "t sne"],
    ["word2vec", "word to vec", "word 2 vec"],
    ["selfattention", "self attention"],
    ["selfsupervised", "self supervised"],
    ["gpu", "graphics processing unit"],
    # A key of its own: both stemmers reduce "optimizer" to "optim", the stem of "optimal" and "optimum".
    ["optimzr", "optimizer"],
]

# Words too common to search by; dropped from queries (the PostgreSQL and SQLite indexes then agree).
STOP_WORDS: frozenset[str] = frozenset(
    """a about an and are as at be been but by can could do does did for from how i if in into is it its me my of
    on or our should so than that the their them then there these they this to vs versus was we were what when
    where which while who whom why will with would you your""".split()  # noqa: SIM905 - a list of words reads best
)
